import Testing

@Test func placeholderLipschitzSDPTests() { #expect(Bool(true)) }
