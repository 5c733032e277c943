import Testing

@Test func placeholderVerifierTests() { #expect(Bool(true)) }
