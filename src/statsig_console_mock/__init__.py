"""A Statsig-faithful mock of the Console API Create Assignment Source endpoint."""
