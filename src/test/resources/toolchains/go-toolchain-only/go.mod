module x

toolchain go1.22.5
