/// The moment a Lipschitz computation must return by (``LipschitzOptions/timeLimit`` after it started).
///
/// Every stage that can take long — a Cholesky factorisation, a triangular solve, a polish, the solver's
/// iterations, a dual bound — checks it and gives up when it has passed, so the best bound certified so far
/// comes back on time. Giving up never weakens a certificate: a factorisation cut short counts as *not*
/// certified, so only points whose check completed are ever reported.
struct Deadline: Sendable {
    /// The instant, or nil for no limit.
    let instant: ContinuousClock.Instant?

    /// No limit.
    static let never = Deadline(instant: nil)

    /// `seconds` from now (no limit if `seconds` is infinite).
    static func after(seconds: Double) -> Deadline {
        guard seconds.isFinite else { return .never }
        return Deadline(instant: .now + .seconds(max(0, seconds)))
    }

    /// A deadline `fraction` of the way from now to this one (this one when it is `never`).
    func fraction(_ fraction: Double) -> Deadline {
        guard let instant else { return self }
        let now = ContinuousClock.now
        return instant <= now ? Deadline(instant: now) : Deadline(instant: now + (instant - now) * fraction)
    }
    /// Whether the deadline has passed.
    var hasPassed: Bool { instant.map { ContinuousClock.now >= $0 } ?? false }
}
