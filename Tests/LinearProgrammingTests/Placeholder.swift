import Testing

@Test func placeholderLinearProgrammingTests() { #expect(Bool(true)) }
