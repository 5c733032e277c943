import Network
import VNNLib

extension MultiNetworkProblem {
    /// The model and stored graph of every declared network, in declaration order.
    static func resolve(
        _ spec: Specification, models: [String: Network], references: [String: any ReferenceEvaluator]
    ) throws(VerifierError) -> (networks: [Network], references: [(any ReferenceEvaluator)?]) {
        let declared = spec.networks.map(\.name)
        for name in models.keys.sorted() where !declared.contains(name) {
            throw .invalidNetworkBinding(
                "a model is given for network \(name), which the query does not declare (declared: "
                    + "\(declared.joined(separator: ", ")))")
        }
        var networks: [Network] = []
        var replays: [(any ReferenceEvaluator)?] = []
        for binding in spec.networks {
            let owner = try modelOwner(binding, in: spec, models: models)
            guard let model = models[owner] else {
                throw .invalidNetworkBinding(
                    "network \(binding.name) (declared at \(location(binding))) has no model; bind it with "
                        + "--network \(binding.name)=MODEL.onnx")
            }
            if case let .isomorphicTo(target)? = binding.equivalence, let original = models[target] {
                try checkIsomorphic(model, to: original, binding: binding, target: target)
            }
            try VerificationProblem.checkDeclarations(binding, against: model)
            networks.append(model)
            replays.append(references[owner])
        }
        return (networks, replays)
    }

    /// The name whose model `binding` uses: its own, or its `equal-to` target's (which must be declared, and
    /// whose declarations it must repeat up to names).
    private static func modelOwner(_ binding: NetworkBinding, in spec: Specification, models: [String: Network])
        throws(VerifierError) -> String
    {
        guard let equivalence = binding.equivalence else { return binding.name }
        guard let target = spec.networks.first(where: { $0.name == equivalence.target }) else {
            throw .invalidNetworkBinding(
                "network \(binding.name) (declared at \(location(binding))) refers to \(equivalence.target), "
                    + "which the query does not declare")
        }
        let sameTypes: Bool
        switch equivalence {
        case .isomorphicTo:
            sameTypes = false
        case .equalTo:
            guard models[binding.name] == nil else {
                throw .invalidNetworkBinding(
                    "network \(binding.name) is declared equal-to \(target.name) and takes its model; it must not "
                        + "be bound to a model of its own")
            }
            sameTypes = true
        }
        try checkSameDeclarations(binding, as: target, includingTypes: sameTypes)
        return sameTypes ? target.name : binding.name
    }

    /// `equal-to`: declarations identical up to names; `isomorphic-to`: up to names and element types.
    private static func checkSameDeclarations(_ a: NetworkBinding, as b: NetworkBinding, includingTypes: Bool)
        throws(VerifierError)
    {
        let left = a.inputs.map(\.declaration) + a.outputs.map(\.declaration)
        let right = b.inputs.map(\.declaration) + b.outputs.map(\.declaration)
        let same =
            left.count == right.count
            && zip(left, right).allSatisfy { x, y in
                x.role == y.role && x.shape == y.shape && (!includingTypes || x.elementType == y.elementType)
            }
        guard same else {
            throw .invalidNetworkBinding(
                "network \(a.name) (declared at \(location(a))) is \(a.equivalence.map(describe) ?? "") but its "
                    + "inputs and outputs differ from \(b.name)'s (\(summary(a)) vs \(summary(b)))")
        }
    }

    /// An `isomorphic-to` model must have the original's structure: the same layer kinds and shapes.
    private static func checkIsomorphic(_ model: Network, to original: Network, binding: NetworkBinding, target: String)
        throws(VerifierError)
    {
        let kinds = (model.layers.map(\.kindName), original.layers.map(\.kindName))
        var difference: String?
        if model.inputShape != original.inputShape {
            difference = "input shape \(model.inputShape) vs \(original.inputShape)"
        } else if kinds.0 != kinds.1 {
            difference = "layers \(kinds.0) vs \(kinds.1)"
        } else if let i = model.layerShapes.indices.first(where: { model.layerShapes[$0] != original.layerShapes[$0] }) {
            difference = "layer \(i) (\(kinds.0[i])) output shape \(model.layerShapes[i]) vs \(original.layerShapes[i])"
        }
        if let difference {
            throw .invalidNetworkBinding(
                "network \(binding.name) is declared isomorphic-to \(target), but its model's structure differs: "
                    + difference)
        }
    }

    private static func describe(_ e: NetworkEquivalence) -> String {
        switch e {
        case let .equalTo(t): "equal-to \(t)"
        case let .isomorphicTo(t): "isomorphic-to \(t)"
        }
    }

    private static func summary(_ b: NetworkBinding) -> String {
        (b.inputs + b.outputs).map { "\($0.declaration.elementType.rawValue) \($0.declaration.shape)" }
            .joined(separator: ", ")
    }

    private static func location(_ b: NetworkBinding) -> String {
        (b.inputs.first ?? b.outputs.first).map { "\($0.declaration.location)" } ?? "?"
    }
}
