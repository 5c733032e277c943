import Testing

@Test func placeholderVNNLibTests() { #expect(Bool(true)) }
