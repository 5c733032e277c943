/// One `--network NAME=MODEL.onnx` binding of the VNN-LIB standard's `verify` form.
struct NetworkArgument: Equatable {
    /// The network name declared in the query.
    var name: String
    /// The model file.
    var path: String

    /// The bindings of `arguments` in order; throws for a malformed one or a name bound twice.
    static func parse(_ arguments: [String]) throws -> [NetworkArgument] {
        var bindings: [NetworkArgument] = []
        for argument in arguments {
            let parts = argument.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
                throw CLIInputError(file: argument, problem: "--network expects NAME=MODEL.onnx")
            }
            if let earlier = bindings.first(where: { $0.name == parts[0] }) {
                throw CLIInputError(
                    file: argument,
                    problem: "network \(parts[0]) is bound twice (also to \(earlier.path)); give one --network per name")
            }
            bindings.append(NetworkArgument(name: parts[0], path: parts[1]))
        }
        return bindings
    }
}
