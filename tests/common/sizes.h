#pragma once
// Sizes of the large inputs tests generate. The sanitizers run an order of magnitude
// slower, so they get smaller ones; their stack frames are larger too, so these are still
// far deeper than a recursive walker could have gone on an 8 MB stack.

namespace tauekel::test {

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define TAUEKEL_TEST_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define TAUEKEL_TEST_SANITIZED 1
#endif
#endif

#ifdef TAUEKEL_TEST_SANITIZED
inline constexpr int kChainTerms = 20000;
#else
inline constexpr int kChainTerms = 100000;
#endif

}  // namespace tauekel::test
