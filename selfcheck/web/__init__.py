"""The shared web layer: templating, error pages, start page and health check."""
