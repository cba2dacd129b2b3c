import Foundation
import Testing

@testable import Training

@Suite struct HFTokenizerFilesTests {
  func object(_ text: String) throws -> [String: Any] {
    try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
  }

  @Test func vocabularyIsDpotopsIdsForEveryCharacter() throws {
    let json = try object(HFTokenizerFiles.tokenizerJSON())
    let model = try #require(json["model"] as? [String: Any])
    #expect(model["type"] as? String == "WordLevel")
    #expect(model["unk_token"] as? String == "<unk>")
    let vocab = try #require(model["vocab"] as? [String: Int])
    #expect(vocab.count == Tokenizer.standard.vocabSize)
    // Every character (the maths alphabet among them) has the id dpotop's encode gives it.
    for ch in Tokenizer.characters {
      #expect(vocab[String(ch)] == Int(Tokenizer.standard.encode(String(ch))[0]), "\(ch)")
    }
    for ch in MathData.alphabet { #expect(vocab[String(ch)] != nil) }
    #expect(vocab["<pad>"] == 0 && vocab["<s>"] == 1 && vocab["</s>"] == 2 && vocab["<unk>"] == 3)
    #expect(Set(vocab.values) == Set(0..<Tokenizer.standard.vocabSize))
  }

  @Test func postProcessorPutsBOSFirstAndNoEOS() throws {
    let json = try object(HFTokenizerFiles.tokenizerJSON())
    let post = try #require(json["post_processor"] as? [String: Any])
    let single = try #require(post["single"] as? [[String: Any]])
    #expect(single.count == 2)
    #expect((single[0]["SpecialToken"] as? [String: Any])?["id"] as? String == "<s>")
    #expect((single[1]["Sequence"] as? [String: Any])?["id"] as? String == "A")
    let specials = try #require(post["special_tokens"] as? [String: [String: Any]])
    #expect(specials["<s>"]?["ids"] as? [Int] == [1])
    let normalizer = try #require(json["normalizer"] as? [String: Any])
    #expect((normalizer["pattern"] as? [String: String])?["String"] == "\r\n")
    #expect(normalizer["content"] as? String == "\n")
  }

  @Test func configNamesTheFastTokenizerAndItsSpecials() throws {
    let config = try object(HFTokenizerFiles.configJSON(context: 128))
    #expect(config["tokenizer_class"] as? String == "PreTrainedTokenizerFast")
    #expect(config["bos_token"] as? String == "<s>")
    #expect(config["eos_token"] as? String == "</s>")
    #expect(config["pad_token"] as? String == "<pad>")
    #expect(config["unk_token"] as? String == "<unk>")
    #expect(config["model_max_length"] as? Int == 128)
    #expect(config["clean_up_tokenization_spaces"] as? Bool == false)
    #expect(config["padding_side"] as? String == "right")
  }
}
