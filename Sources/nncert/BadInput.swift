import ArgumentParser
import Branching
import Comparison
import NetworkCompression
import Foundation
import Differential
import Gate
import LipschitzSDP
import Network
import ONNX
import Reporting
import Suite
import Tensor
import VNNLib
import Verifier

/// The one place where errors become messages and exit codes.
///
/// Bad input (a file that cannot be read, parsed or supported) prints `nncert: error: FILE…: problem` on one
/// line to stderr and exits with code 2; anything else propagates to ArgumentParser (exit code 1).
enum BadInput {
    /// Runs `body`, turning the toolkit's typed errors into a one-line message on stderr and exit code 2.
    /// `context` names the file an error without its own location refers to.
    static func reporting<T>(context: String? = nil, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as ExitCode {
            throw error
        } catch let error as CleanExit {
            throw error
        } catch {
            printError(message(for: error, context: context))
            throw ExitStatus.badInput.exitCode
        }
    }

    /// The one-line message for one of the toolkit's errors; `context` names the file an error without its own
    /// location refers to (also the message of a suite instance that does not load).
    static func message(for error: any Error, context: String?) -> String {
        let prefix = context.map { "\($0): " } ?? ""
        switch error {
        case let e as VNNLibError: return e.description
        case let e as ONNXError: return e.description
        case let e as NetworkError: return prefix + e.description
        case let e as VerifierError: return prefix + e.description
        case let e as LipschitzError: return prefix + e.description
        case let e as CompressionError: return prefix + e.description
        case let e as DifferentialError: return prefix + e.description
        case let e as ComparisonError: return prefix + e.description
        case let e as CLIInputError: return e.description
        case let e as ReportError: return prefix + e.description
        case let e as SuiteError: return e.description
        case let e as GateError: return e.description
        case let e as TraceError: return prefix + e.description
        case let e as BranchingError: return e.description
        case let e as FileContents.ReadError: return e.description
        default: return prefix + String(describing: error)
        }
    }

    /// Writes `nncert: error: message` to stderr.
    static func printError(_ message: String) {
        let line = "nncert: error: " + message.replacingOccurrences(of: "\n", with: " ") + "\n"
        FileHandle.standardError.write(Data(line.utf8))
    }
}

/// Problems with command-line input files that belong to no library module (CSV inputs, argument combinations).
struct CLIInputError: Error, CustomStringConvertible {
    /// The file (or argument) concerned.
    var file: String
    /// Line number, when the problem is in a text file.
    var line: Int?
    /// What is wrong.
    var problem: String

    var description: String {
        "\(file)\(line.map { ":\($0)" } ?? ""): \(problem)"
    }
}
