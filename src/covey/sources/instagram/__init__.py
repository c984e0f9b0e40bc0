"""The instagram connector: client (calls), mapping (rows), config (hosts, keys, quotas), errors."""
