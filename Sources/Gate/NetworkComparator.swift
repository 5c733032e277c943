import Comparison

/// `Comparison.Comparator` under a name that neither Foundation's `Comparator` nor VNNLib's `Comparison` type
/// shadows (files importing either cannot spell the module-qualified name).
typealias NetworkComparator = Comparator
