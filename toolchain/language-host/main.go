// Command pulumi-language-nodejs is a small Node.js language host for the Pulumi engine.
//
// Why it exists: the Go module proxy that this project can reach does not serve upstream's
// `github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3`, so toolchain/pulumi.sh builds
// this one next to the CLI. It implements the LanguageRuntime gRPC service from the Pulumi SDK
// (sdk/v3/proto/go) and does what the engine needs for preview/up/refresh/destroy and the Automation
// API: it starts `node <programDir's @pulumi/pulumi/cmd/run> ...` with the arguments and environment
// that the @pulumi/pulumi npm package expects, and reports how the program ended.
//
// What it leaves out on purpose: code generation (convert/import), `pulumi package` pack/link,
// bun, debugger attachment and policy packs. Those RPCs answer Unimplemented.
//
// Plugin protocol: the engine starts us as `pulumi-language-nodejs [flags] <engine address>`
// (flags it may pass: --logtostderr, -v=N, --tracing <url>; older engines also -root/-typescript),
// and reads the port of our gRPC server from the first line of stdout.
//
// SPDX-License-Identifier: MIT
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"strings"
	"time"

	"google.golang.org/grpc"

	"github.com/pulumi/pulumi/sdk/v3/go/common/util/cmdutil"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/logging"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/rpcutil"
	"github.com/pulumi/pulumi/sdk/v3/go/common/version"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

// options are the command-line settings we act on. Everything else the engine passes is accepted
// and ignored, so that a newer engine adding a flag does not break us.
type options struct {
	engineAddress string // first positional argument
	tracing       string // --tracing <url>
	showVersion   bool   // --version
}

// flagsWithValue lists the flags whose value may come as the next argument ("--tracing url").
// Any other flag is treated as a boolean or as "--name=value".
var flagsWithValue = map[string]bool{"tracing": true, "root": true, "runtime": true}

func parseArgs(args []string) options {
	var o options
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			if i+1 < len(args) && o.engineAddress == "" {
				o.engineAddress = args[i+1]
			}
			break
		}
		if !strings.HasPrefix(a, "-") || a == "-" {
			if o.engineAddress == "" {
				o.engineAddress = a
			}
			continue
		}
		name, value, hasValue := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if !hasValue && flagsWithValue[name] && i+1 < len(args) {
			i++
			value = args[i]
		}
		switch name {
		case "tracing":
			o.tracing = value
		case "version":
			o.showVersion = true
		}
	}
	return o
}

func main() {
	opts := parseArgs(os.Args[1:])
	if opts.showVersion {
		fmt.Println(version.Version)
		return
	}

	logging.InitLogging(false, 0, false)
	cmdutil.InitTracing("pulumi-language-nodejs", "pulumi-language-nodejs", opts.tracing)

	// Stop serving on Ctrl-C, or when the engine stops answering its health check (so that a
	// killed engine does not leave us behind).
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if opts.engineAddress != "" {
		if err := rpcutil.Healthcheck(ctx, opts.engineAddress, 5*time.Minute, stop); err != nil {
			cmdutil.Exit(fmt.Errorf("could not start the engine health check: %w", err))
		}
	}
	cancel := make(chan bool)
	go func() {
		<-ctx.Done()
		close(cancel)
	}()

	host := newHost(opts.engineAddress, opts.tracing)
	handle, err := rpcutil.ServeWithOptions(rpcutil.ServeOptions{
		Cancel: cancel,
		Init: func(srv *grpc.Server) error {
			pulumirpc.RegisterLanguageRuntimeServer(srv, host)
			return nil
		},
		Options: rpcutil.TracingServerInterceptorOptions(nil),
	})
	if err != nil {
		cmdutil.Exit(fmt.Errorf("could not start the language host gRPC server: %w", err))
	}

	// The engine reads this line to learn where to connect.
	fmt.Printf("%d\n", handle.Port)

	if err := <-handle.Done; err != nil {
		cmdutil.Exit(fmt.Errorf("language host gRPC server stopped: %w", err))
	}
}
