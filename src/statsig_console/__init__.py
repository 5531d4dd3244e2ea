"""Production layer over the generated Statsig Console API client."""
