"""Access policy of the operations routes: open to all (the proxy, systemd, Prometheus); /metrics by network."""
ALL = {"anonymous", "trainee", "mentor", "opd_head", "admin"}

POLICY = {
    "ops.healthz": ALL,
    "ops.readyz": ALL,
    # Any role from an allowed network (the test client is on loopback); 404 elsewhere, see tests/ops.
    "ops.metrics_page": ALL,
    "favicon": ALL,  # redirects to /static/favicon.svg
}
