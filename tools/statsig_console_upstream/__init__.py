"""Compare the handwritten spec with Statsig's published Console API OpenAPI document."""
