"""What a text resembles: MinHash signatures of word shingles, and their LSH bands.

Two captures of one wire story share most of their five-word runs even when
another outlet rewrote the headline and a couple of paragraphs. A MinHash
signature estimates the share of shingles two texts have in common; cutting it
into bands gives keys that similar texts are very likely to share, so the
database finds the candidates with an indexed array overlap, not a scan.

Pure functions: no database.
"""

import hashlib
import re
import struct

SHINGLE_WORDS = 5
NUM_PERM = 128
BAND_ROWS = 4  # 32 bands of 4 rows: texts about 45% alike share a band half the time
_SEED = 1  # fixed, so signatures stored by one process compare with another's
_SCHEME = "affine32"

# Words, and each CJK character on its own: Chinese has no spaces to split on.
_TOKEN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]|[^\W_]+", re.UNICODE)
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_CJK_SHINGLE = 8  # characters: about as specific as five English words
_minhash_class = None


def _new_minhash():
    # datasketch's package imports scipy (for LSH tuning we do not use), close to a second:
    # imported on first use, so every manage.py command and test worker does not pay for it.
    global _minhash_class
    if _minhash_class is None:
        from datasketch import MinHash

        _minhash_class = MinHash
    return _minhash_class(num_perm=NUM_PERM, seed=_SEED, scheme=_SCHEME)


def shingles(text: str) -> set[bytes]:
    tokens = _TOKEN.findall(text.casefold())
    if not tokens:
        return set()
    size = _CJK_SHINGLE if sum(bool(_CJK.match(t)) for t in tokens) * 2 > len(tokens) else None
    width = size or SHINGLE_WORDS
    if len(tokens) <= width:
        return {" ".join(tokens).encode()}
    return {" ".join(tokens[i : i + width]).encode() for i in range(len(tokens) - width + 1)}


def _minhash(text: str):
    found = shingles(text)
    if not found:
        return None
    minhash = _new_minhash()
    minhash.update_batch(list(found))
    return minhash


def signature(text: str) -> tuple[list[int], list[int]]:
    """The MinHash of `text` and its band keys, as the integers an Article stores."""
    minhash = _minhash(text)
    if minhash is None:
        return [], []
    values = [int(v) for v in minhash.hashvalues]
    bands = []
    for start in range(0, NUM_PERM, BAND_ROWS):
        chunk = struct.pack(f"<{BAND_ROWS}Q", *values[start : start + BAND_ROWS])
        digest = hashlib.blake2b(chunk, digest_size=8, person=start.to_bytes(2, "little"))
        bands.append(int.from_bytes(digest.digest(), "little", signed=True))  # fits a bigint
    return values, bands


def similarity(a: list[int], b: list[int]) -> float:
    """The estimated Jaccard similarity of two stored signatures (0 when either is empty)."""
    if len(a) != NUM_PERM or len(b) != NUM_PERM:
        return 0.0
    return sum(x == y for x, y in zip(a, b, strict=True)) / NUM_PERM
