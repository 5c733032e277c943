extension Duration {
    /// The duration in seconds as a `Double` (whole seconds plus attoseconds), for timings, time limits and
    /// progress reports.
    public var seconds: Double {
        let (s, a) = components
        return Double(s) + Double(a) * 1e-18
    }
}
