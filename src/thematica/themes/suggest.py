"""Candidate themes suggested by clustering codes — suggestions the researcher accepts or rejects.

Two views of similarity: co-occurrence (codes on the same sentences; distance 1 − Jaccard,
average-linkage agglomerative clustering) and the words of the coded passages (TF-IDF vectors of
each code's text, k-means with a fixed seed). Both are deterministic for a given seed. The
hierarchical clustering of codes by shared sentences also reports its cophenetic correlation
(how faithfully the dendrogram keeps the distances), and codes and cases are placed on a 2-D
map by metric MDS of the code × case profile (seeded).
"""

from __future__ import annotations

import inspect
from dataclasses import asdict, dataclass

import numpy as np

from thematica.themes.analysis import cooccurrence
from thematica.themes.data import CodedMaterial


@dataclass(frozen=True)
class Suggestion:
    method: str
    members: list[str]

    def to_dict(self) -> dict:
        return asdict(self)


def _jaccard_distance(material: CodedMaterial) -> tuple[list[str], np.ndarray]:
    codes, matrix = cooccurrence(material, "unit")
    counts = np.diag(matrix).astype(float)
    union = counts[:, None] + counts[None, :] - matrix
    with np.errstate(divide="ignore", invalid="ignore"):
        similarity = np.where(union > 0, matrix / union, 0.0)
    np.fill_diagonal(similarity, 1.0)
    return codes, 1.0 - similarity


def suggest_by_cooccurrence(material: CodedMaterial, clusters: int = 6) -> list[Suggestion]:
    from sklearn.cluster import AgglomerativeClustering

    codes, distance = _jaccard_distance(material)
    if len(codes) < 2:
        return []
    model = AgglomerativeClustering(n_clusters=min(clusters, len(codes)), metric="precomputed", linkage="average")
    labels = model.fit_predict(distance)
    return _groups("co-occurrence", codes, labels)


def suggest_by_words(material: CodedMaterial, clusters: int = 6, seed: int = 0) -> list[Suggestion]:
    from sklearn.cluster import KMeans
    from sklearn.feature_extraction.text import TfidfVectorizer

    texts: dict[str, list[str]] = {}
    for segment in material.segments:
        texts.setdefault(segment.code, []).append(segment.text)
    codes = sorted(texts)
    if len(codes) < 2:
        return []
    vectors = TfidfVectorizer(lowercase=True, min_df=1).fit_transform([" ".join(texts[c]) for c in codes])
    labels = KMeans(n_clusters=min(clusters, len(codes)), n_init=10, random_state=seed).fit_predict(vectors)
    return _groups("words (TF-IDF)", codes, labels)


def _groups(method: str, codes: list[str], labels) -> list[Suggestion]:
    groups: dict[int, list[str]] = {}
    for code, label in zip(codes, labels):
        groups.setdefault(int(label), []).append(code)
    return sorted((Suggestion(method, sorted(members)) for members in groups.values() if len(members) > 1),
                  key=lambda s: (-len(s.members), s.members))


@dataclass(frozen=True)
class CodeMap:
    codes: list[str]
    dendrogram_order: list[str]
    cophenetic_correlation: float | None
    code_positions: dict[str, tuple[float, float]]
    case_positions: dict[str, tuple[float, float]]

    def to_dict(self) -> dict:
        return asdict(self)


def code_map(material: CodedMaterial, seed: int = 0) -> CodeMap:
    from scipy.cluster.hierarchy import cophenet, leaves_list, linkage
    from scipy.spatial.distance import squareform
    from sklearn.manifold import MDS

    codes, distance = _jaccard_distance(material)
    order, correlation = list(codes), None
    if len(codes) >= 3:
        condensed = squareform(distance, checks=False)
        tree = linkage(condensed, method="average")
        correlation = float(cophenet(tree, condensed)[0])
        order = [codes[i] for i in leaves_list(tree)]
    cases = material.cases
    profile = np.zeros((len(codes), len(cases)))
    for segment in material.segments:
        profile[codes.index(segment.code), cases.index(segment.case)] += 1
    code_xy: dict[str, tuple[float, float]] = {}
    case_xy: dict[str, tuple[float, float]] = {}
    if len(codes) >= 3 and len(cases) >= 2:
        # codes as their profile over cases, each case as its pure profile: codes land near the
        # cases whose transcripts carry them
        rows = profile / np.maximum(profile.sum(axis=1, keepdims=True), 1)
        points = np.vstack([rows, np.eye(len(cases))])
        # scikit-learn 1.8+ asks which start SMACOF takes (its default becomes classical MDS); these
        # layouts are the random starts of earlier versions, so say so wherever the option exists
        start = {"init": "random"} if "init" in inspect.signature(MDS).parameters else {}
        positions = MDS(n_components=2, random_state=seed, n_init=4, normalized_stress="auto",
                        **start).fit_transform(points)
        code_xy = {code: (float(x), float(y)) for code, (x, y) in zip(codes, positions[:len(codes)])}
        case_xy = {case: (float(x), float(y)) for case, (x, y) in zip(cases, positions[len(codes):])}
    return CodeMap(codes, order, correlation, code_xy, case_xy)
