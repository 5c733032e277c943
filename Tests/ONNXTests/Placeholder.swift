import Testing

@Test func placeholderONNXTests() { #expect(Bool(true)) }
