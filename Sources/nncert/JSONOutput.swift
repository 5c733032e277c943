import Foundation
import Reporting

/// JSON rendering shared by every `--json` flag, in the reports' style (``Reporting/RunReport/makeJSONEncoder()``):
/// pretty-printed, keys sorted, non-finite numbers as strings.
enum JSONOutput {
    static func encode<T: Encodable>(_ value: T) throws -> String {
        String(decoding: try RunReport.makeJSONEncoder().encode(value), as: UTF8.self)
    }
}
