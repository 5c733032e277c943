public import Foundation

/// Whole-file reads whose failures say only what the system says: "No such file or directory", "Is a directory",
/// "Permission denied" — not Foundation's error-domain text.
///
/// Every reader of model, property and CSV files goes through ``read(atPath:)`` so that a bad path gives the
/// same one-line message (`PATH: REASON`) whichever file it was.
public enum FileContents {
    /// Why a file could not be read: the path as given and the system's reason.
    public struct ReadError: Error, Sendable, Hashable, CustomStringConvertible {
        /// The path as given.
        public var path: String
        /// The system's reason (`strerror`), e.g. "No such file or directory".
        public var reason: String

        /// An error for `path` with the message of the POSIX error `code`.
        public init(path: String, code: Int32) {
            self.path = path
            reason = String(cString: strerror(code))
        }

        /// `PATH: REASON`.
        public var description: String { "\(path): \(reason)" }
    }

    /// The bytes of the regular file (or other readable non-directory) at `path`.
    /// - Throws: ``ReadError`` when the file cannot be opened (missing, permissions), is a directory, or a read fails.
    public static func read(atPath path: String) throws(ReadError) -> Data {
        let descriptor = try openForReading(path)
        defer { close(descriptor) }
        var data = Data()
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = chunk.withUnsafeMutableBytes { readChunk(descriptor, into: $0) }
            if count < 0 {
                if errno == EINTR { continue }
                throw ReadError(path: path, code: errno)
            }
            if count == 0 { return data }
            data.append(contentsOf: chunk[0..<count])
        }
    }

    /// Checks that ``read(atPath:)`` can open `path` (it exists, is not a directory, may be read), without reading.
    /// - Throws: ``ReadError`` as ``read(atPath:)``.
    public static func checkReadable(atPath path: String) throws(ReadError) {
        close(try openForReading(path))
    }

    /// The system's reason for a Foundation file error (a write, a folder creation): the message of its POSIX
    /// error (“No such file or directory”) when it has one, else its localized description.
    public static func reason(for error: any Error) -> String {
        let ns = error as NSError
        if ns.domain == NSPOSIXErrorDomain { return String(cString: strerror(Int32(ns.code))) }
        if let underlying = ns.userInfo[NSUnderlyingErrorKey] as? any Error {
            let inner = underlying as NSError
            if inner.domain == NSPOSIXErrorDomain { return String(cString: strerror(Int32(inner.code))) }
        }
        return ns.localizedDescription
    }

    /// An open descriptor on `path`; directories are refused with `EISDIR` (`open` accepts them for reading).
    private static func openForReading(_ path: String) throws(ReadError) -> Int32 {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { throw ReadError(path: path, code: errno) }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else {
            let code = errno
            close(descriptor)
            throw ReadError(path: path, code: code)
        }
        guard info.st_mode & S_IFMT != S_IFDIR else {
            close(descriptor)
            throw ReadError(path: path, code: EISDIR)
        }
        return descriptor
    }
}

/// `read(2)` into `buffer` (outside ``FileContents``, whose `read` would shadow it).
private func readChunk(_ descriptor: Int32, into buffer: UnsafeMutableRawBufferPointer) -> Int {
    read(descriptor, buffer.baseAddress, buffer.count)
}
