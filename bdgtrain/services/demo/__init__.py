"""The demo world: the Hà Tĩnh 2019 plan, its users, sample lists, attendance, pool and targets. Never on real data."""
