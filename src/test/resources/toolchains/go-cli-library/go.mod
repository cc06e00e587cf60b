module github.com/example/cli

go 1.23.0

require (
	github.com/inconshreveable/mousetrap v1.1.0
	github.com/spf13/pflag v1.0.6
)
