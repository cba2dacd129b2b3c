import Testing

@testable import Training

@Suite struct SequenceBatchTests {
  let tok = Tokenizer.standard

  @Test func masksPromptAndPaddingAndScoresCompletionPlusEOS() {
    let batch = SequenceBatch(
      [
        PromptCompletion(prompt: "ab", completion: "cd"),
        PromptCompletion(prompt: "a", completion: "c"),
      ], context: 10)
    // [BOS a b c d EOS] → 5 positions; [BOS a c EOS] → 3, padded to 5.
    #expect(batch.t == 5)
    let a = tok.encode("a")[0]
    let b = tok.encode("b")[0]
    let c = tok.encode("c")[0]
    let d = tok.encode("d")[0]
    #expect(Array(batch.tokens[0..<5]) == [Tokenizer.bos, a, b, c, d])
    #expect(Array(batch.targets[0..<5]) == [-1, -1, c, d, Tokenizer.eos])
    #expect(Array(batch.tokens[5..<10]) == [Tokenizer.bos, a, c, Tokenizer.pad, Tokenizer.pad])
    #expect(Array(batch.targets[5..<10]) == [-1, c, Tokenizer.eos, -1, -1])
    #expect(batch.scoredTokens == [3, 2])
    #expect(batch.truncated == [false, false])
  }

  @Test func longPromptLosesItsStartFirst() {
    let batch = SequenceBatch([PromptCompletion(prompt: "abcdefgh", completion: "xy")], context: 6)
    // Room for 7 tokens: BOS + 3 prompt chars + x y EOS.
    #expect(batch.t == 6)
    #expect(batch.tokens == [Tokenizer.bos] + tok.encode("fghxy"))
    #expect(batch.targets == [-1, -1, -1] + tok.encode("xy") + [Tokenizer.eos])
    #expect(batch.truncated == [true])
    #expect(batch.scoredTokens == [3])
  }

  @Test func overlongCompletionIsCutAtItsEnd() {
    let batch = SequenceBatch([PromptCompletion(prompt: "p", completion: "abcdefgh")], context: 4)
    #expect(batch.t == 4)
    #expect(batch.tokens == [Tokenizer.bos] + tok.encode("abc"))
    #expect(batch.targets == tok.encode("abcd"))
    #expect(batch.truncated == [true])
    #expect(batch.scoredTokens == [4])
  }

  @Test func tokenizerRoundTripsMathsTextAndMapsUnknownCharacters() {
    let text = "Sara buys 3 pens at $2 each.\n3 * 2 = 6\n#### 6"
    #expect(tok.decode(tok.encode(text)) == text)
    #expect(tok.encode("é") == [Tokenizer.unk])
    #expect(tok.vocabSize == Tokenizer.characters.count + 4)
  }
}
