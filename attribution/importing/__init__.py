"""The import service's helpers: matching inputs to articles, import conflicts, slug redirects."""
