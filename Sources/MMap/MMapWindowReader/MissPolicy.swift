/// Decides, when a read misses the mapped windows, whether mapping the window is worth it.
///
/// Mapping a window costs an `mmap`, a page fault for every page then touched, and a
/// `munmap` with a TLB flush when it is evicted: several microseconds, repaid only if many
/// later reads hit the window. A `pread` costs one system call and nothing afterwards. So a
/// miss maps its window only when the access pattern promises hits:
///
/// - **Sequential**: the access starts within a page of where one of the last
///   ``streamCount`` accesses ended (several streams, so that threads scanning different
///   regions each count as sequential).
/// - **Dense**: at least ``denseThreshold`` of the last ``recentMissCount`` misses,
///   this one included, fell in the same window. Uniformly random reads over a file of many
///   windows almost never reach that (over 64 windows, about once in 10^4 misses at the
///   starting threshold); hammering one region reaches it after a few misses.
///
/// The dense guess corrects itself: when a window mapped because it looked dense is evicted
/// after fewer than ``paybackUses`` uses, the threshold doubles (up to ``recentMissCount``);
/// when one repays itself four times over, it halves (down to ``baseDenseThreshold``). A file
/// only a little larger than the window budget, read at random, thus settles on `pread`
/// instead of evicting one window for another.
///
/// The callers add one rule: a view (which must not copy) of at least a quarter window maps
/// the window, since a temporary mapping of the range would cost nearly as much.
internal struct MissPolicy {
  static let streamCount = 4
  static let recentMissCount = 32
  static let baseDenseThreshold = 6
  static let paybackUses = 16
  static let bucketCount = 64

  /// Where the last accesses of each stream ended, in reader offsets.
  private var streamEnds = [Int](repeating: 0, count: streamCount)
  /// How many accesses in a row each stream has made. Each starts as if one access had
  /// ended at offset 0, so that a scan from the start counts as sequential at once.
  private var streamStreaks = [Int](repeating: 1, count: streamCount)
  private var nextStream = 0
  /// The windows of the last misses, a ring; `-1` where empty.
  private var recentMisses = [Int](repeating: -1, count: recentMissCount)
  /// How many of the recent misses fell in each bucket of windows (`window % bucketCount`),
  /// kept up to date as misses enter and leave the ring, so that a miss counts its window's
  /// recent misses in one load instead of a pass over the ring. Windows sharing a bucket
  /// count together, which can only make a window look dense: a guess that corrects itself,
  /// and rare with twice as many buckets as misses.
  private var missesPerBucket = [Int](repeating: 0, count: bucketCount)
  private var nextMiss = 0
  /// How many of the recent misses must share a window for it to count as dense.
  private(set) var denseThreshold = baseDenseThreshold
  /// The page size, read once: every miss compares against it.
  let pageSize = system_pageSize

  /// Records an access of the reader offsets `offset..<end`. Returns `0` if it doesn't look
  /// sequential, or else its streak (at least 2): how many accesses in a row its stream has
  /// made, each starting within a page of where the one before ended, this one included.
  ///
  /// `unseen` is a range of reader offsets the policy can't have watched: a mapped window
  /// whose hits never reach it, which the access just left. A stream that ended inside it
  /// may have read on to `offset` through those hits, so it continues too.
  mutating func noteAccess(from offset: Int, to end: Int, after unseen: Range<Int>? = nil)
    -> Int
  {
    for stream in streamEnds.indices {
      let last = streamEnds[stream]
      // Can't overflow: last is a reader offset, between 0 and the reader's count.
      let isNear = offset >= last &- pageSize && offset <= last &+ pageSize
      if isNear || unseen?.contains(last) == true {
        streamEnds[stream] = end
        // Can't overflow: the streak stops growing at Int.max / 2.
        streamStreaks[stream] = min(streamStreaks[stream] &+ 1, Int.max / 2)
        return streamStreaks[stream]
      }
    }
    streamEnds[nextStream] = end
    streamStreaks[nextStream] = 1
    nextStream = (nextStream &+ 1) % Self.streamCount  // Can't overflow: below streamCount.
    return 0
  }

  /// Records a miss in window `index`, and returns whether that window looks dense.
  mutating func noteMiss(inWindow index: Int) -> Bool {
    let leaving = recentMisses[nextMiss]
    if leaving >= 0 { missesPerBucket[Self.bucket(of: leaving)] &-= 1 }
    recentMisses[nextMiss] = index
    let bucket = Self.bucket(of: index)
    missesPerBucket[bucket] &+= 1  // Can't overflow: at most recentMissCount.
    let misses = missesPerBucket[bucket]  // This one included.
    nextMiss = (nextMiss &+ 1) % Self.recentMissCount  // Can't overflow: below the count.
    return misses >= denseThreshold
  }

  /// The bucket of window `index` (not negative) in ``missesPerBucket``.
  private static func bucket(of index: Int) -> Int {
    index & (bucketCount &- 1)  // bucketCount is a power of two.
  }

  /// Records that a window mapped because it looked dense was evicted after `uses` uses.
  mutating func noteEviction(ofDenseWindowWithUses uses: Int) {
    if uses < Self.paybackUses {
      denseThreshold = min(denseThreshold &* 2, Self.recentMissCount)  // Can't overflow: small.
    } else if uses >= Self.paybackUses &* 4 {
      denseThreshold = max(denseThreshold / 2, Self.baseDenseThreshold)
    }
  }
}
