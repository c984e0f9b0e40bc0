"""Discovery: find creators for a brief by what they post, with filters, lookalikes and communities.

Public surface::

    build_index(store)                              # `covey index`: embed new posts, beside the db
    found = discover(store, "brief", Filters(...))  # `covey discover`: ranked results + evidence
    groups = find_communities(store)                # `covey communities`
    picks = spread(ranked_ids, groups, k)           # spread a campaign across communities
    load_embedder().embed(["text", ...])            # the shipped static model (numpy only)
"""

from covey.discovery.brief import Brief, parse_brief
from covey.discovery.catalog import Catalog, Filters, index_dir
from covey.discovery.communities import Community, community_of, find_communities, spread
from covey.discovery.embedder import StaticEmbedder, load_embedder
from covey.discovery.indexer import IndexReport, build_index, open_index
from covey.discovery.rank import Evidence, Result
from covey.discovery.search import Discovery, discover, niche_accounts

__all__ = [
    "Brief",
    "Catalog",
    "Community",
    "Discovery",
    "Evidence",
    "Filters",
    "IndexReport",
    "Result",
    "StaticEmbedder",
    "build_index",
    "community_of",
    "discover",
    "find_communities",
    "index_dir",
    "load_embedder",
    "niche_accounts",
    "open_index",
    "parse_brief",
    "spread",
]
