// GRPCNghttp2Transport: being built; see the module table in README.md.
