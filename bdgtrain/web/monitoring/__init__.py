"""The monitor's pages: dashboard, audience compliance, plan summary report."""
