import Testing

@Test func placeholderBoundsTests() { #expect(Bool(true)) }
