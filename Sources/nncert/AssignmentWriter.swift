import Foundation
import ONNX
import Tensor
import VNNLib
import Verifier

/// `--serialise-assignments DIR`: one serialised ONNX `TensorProto` per declared variable, as `DIR/<var>.pb`
/// (VNN-LIB standard §5.4.3).
enum AssignmentWriter {
    static func serialise(_ cex: Counterexample, specification spec: Specification, folder: String) throws {
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            throw CLIInputError(file: folder, problem: FileContents.reason(for: error))
        }
        for network in spec.networks {
            for tensor in network.inputs {
                let values = cex.input[tensor.range].map { Float($0) }
                try write(tensor.declaration, values, folder)
            }
            for tensor in network.hiddenVariables {
                guard let values = cex.hiddenValues, tensor.range.upperBound <= values.count else { continue }
                try write(tensor.declaration, Array(values[tensor.range]), folder)
            }
            for tensor in network.outputs {
                try write(tensor.declaration, Array(cex.outputFloat32[tensor.range]), folder)
            }
        }
    }

    /// An integer-typed variable (the constant output of a `Shape` model: verification accepts no other) is
    /// written with its declared type.
    private static func write(_ d: VariableDeclaration, _ values: [Float], _ folder: String) throws {
        let path = (folder as NSString).appendingPathComponent("\(d.name).pb")
        let data = if let layout = d.elementType.integerLayout {
            ONNXExporter.serializedTensor(
                name: d.name, shape: d.shape, integers: values.map { d.elementType.integerValue(Double($0)) },
                bits: layout.bits, signed: layout.signed)
        } else {
            ONNXExporter.serializedTensor(name: d.name, shape: d.shape, values: values)
        }
        guard FileManager.default.createFile(atPath: path, contents: data) else {
            throw CLIInputError(file: path, problem: "cannot write the tensor file")
        }
    }
}
