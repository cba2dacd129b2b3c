import Testing

@testable import Training

@Suite struct KernelPathTests {
  @Test func plainIsAlwaysSupportedAndBestIsSupported() {
    #expect(KernelPath.supported.contains(.plain))
    #expect(KernelPath.best.isSupported)
    #expect(KernelPath.supported.first == KernelPath.best)
  }

  @Test func environmentValueSelectsOrExplains() throws {
    #expect(try KernelPath.select(nil).get() == KernelPath.best)
    #expect(try KernelPath.select("").get() == KernelPath.best)
    #expect(try KernelPath.select("PLAIN").get() == .plain)
    guard case .failure(let error) = KernelPath.select("sse9") else {
      Issue.record("an unknown path was accepted")
      return
    }
    #expect(error.description.contains("DPOTOP_KERNELS"))
    #expect(error.description.contains("avx512, avx2, plain"))
    for path in KernelPath.allCases where !path.isSupported {
      guard case .failure(let e) = KernelPath.select(path.rawValue) else {
        Issue.record("\(path) accepted on a CPU that cannot run it")
        continue
      }
      #expect(e.description.contains("cannot run"))
    }
  }

  @Test func describeNamesThePathInUse() {
    let line = KernelPath.describe()
    #expect(line.contains("kernels \(KernelPath.active.rawValue) "))
    #expect(!line.contains("\n"))
  }
}
