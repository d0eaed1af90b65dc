/// The first line where two texts differ, for readable test failures.
public func firstDifference(_ a: String, _ b: String) -> String {
  let left = a.split(separator: "\n", omittingEmptySubsequences: false)
  let right = b.split(separator: "\n", omittingEmptySubsequences: false)
  for i in 0..<max(left.count, right.count) {
    let l = i < left.count ? String(left[i]) : "<end>"
    let r = i < right.count ? String(right[i]) : "<end>"
    if l != r { return "line \(i + 1): expected «\(l)», got «\(r)»" }
  }
  return "no difference"
}
