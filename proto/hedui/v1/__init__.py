"""Generated protobuf and gRPC modules of the hedui v1 data standard (see proto/generate.py)."""
