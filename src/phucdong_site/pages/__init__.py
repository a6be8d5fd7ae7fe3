"""Pages: pure plans over the loaded site. Every URL (urls), the indexes (categories, tags,
months), listings, one small planner per page type, JSON-LD, feeds and the sitemap."""

from phucdong_site.pages.feeds import feed_files, robots, sitemap
from phucdong_site.pages.identity import Identity, identity_files
from phucdong_site.pages.indexes import (
    Category,
    CategoryLink,
    Month,
    SiteIndex,
    Tag,
    build_index,
    tag_slug,
)
from phucdong_site.pages.listings import all_related, related_inputs
from phucdong_site.pages.menu import MenuLink, Menus
from phucdong_site.pages.plan import RELATED_COUNT, PageOutput, plan_pages, retitled
from phucdong_site.pages.redirects import MAP_FILE, aliases, redirect_map
from phucdong_site.pages.register_index import REGISTER_INDEX_DIR, register_index_files
from phucdong_site.pages.structured_data import (
    Crumb,
    breadcrumb_list,
    legislation,
    news_article,
    script_json,
)
from phucdong_site.pages.urls import tag_url

__all__ = [
    "Category", "CategoryLink", "Crumb", "Identity", "MAP_FILE", "MenuLink", "Menus", "Month",
    "PageOutput", "REGISTER_INDEX_DIR", "RELATED_COUNT", "SiteIndex", "Tag", "aliases",
    "all_related", "breadcrumb_list", "build_index", "feed_files", "identity_files", "legislation",
    "news_article", "plan_pages", "redirect_map", "register_index_files", "related_inputs",
    "retitled", "robots", "script_json", "sitemap", "tag_slug", "tag_url",
]
