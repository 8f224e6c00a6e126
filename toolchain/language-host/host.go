// SPDX-License-Identifier: MIT

// One file on purpose: the gRPC LanguageRuntime service of a Node.js language host, method by method, as
// upstream's host is organized; splitting it would scatter one protocol.

package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/google/shlex"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/emptypb"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/config"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/plugin"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/logging"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/rpcutil"
	"github.com/pulumi/pulumi/sdk/v3/go/common/version"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

const (
	// Module, resolved from the program directory, that runs a Pulumi program (`@pulumi/pulumi` npm
	// package). PULUMI_LANGUAGE_NODEJS_RUN_PATH overrides it, as with upstream's host.
	runModule       = "@pulumi/pulumi/cmd/run"
	runPluginModule = "@pulumi/pulumi/cmd/run-plugin"

	// `cmd/run` exits with this code when it has already shown the error to the user; the engine
	// is then told to "bail": stop without printing a second, generic error.
	exitCodeErrorAlreadyReported = 32
)

// host implements pulumirpc.LanguageRuntimeServer. RPCs we do not override answer Unimplemented.
type host struct {
	pulumirpc.UnimplementedLanguageRuntimeServer

	engineAddress string
	tracing       string

	// cancelled by the Cancel RPC: running node processes get SIGINT.
	stopCtx  context.Context
	stopFunc context.CancelFunc
}

func newHost(engineAddress, tracing string) *host {
	ctx, cancel := context.WithCancel(context.Background())
	return &host{engineAddress: engineAddress, tracing: tracing, stopCtx: ctx, stopFunc: cancel}
}

// runtimeOptions are the `runtime.options` of Pulumi.yaml that matter to Node.js programs.
type runtimeOptions struct {
	typescript bool     // default true: `cmd/run` registers ts-node (needs `typescript` in node_modules)
	tsconfig   string   // passed as PULUMI_NODEJS_TSCONFIG_PATH
	nodeargs   []string // extra arguments for `node`, shell-split
}

func parseRuntimeOptions(raw map[string]any) (runtimeOptions, error) {
	o := runtimeOptions{typescript: true}
	if v, ok := raw["typescript"]; ok {
		b, isBool := v.(bool)
		if !isBool {
			return o, errors.New("runtime option 'typescript' must be a boolean")
		}
		o.typescript = b
	}
	if v, ok := raw["tsconfig"]; ok {
		s, isString := v.(string)
		if !isString {
			return o, errors.New("runtime option 'tsconfig' must be a string")
		}
		o.tsconfig = s
	}
	if v, ok := raw["nodeargs"]; ok {
		s, isString := v.(string)
		if !isString {
			return o, errors.New("runtime option 'nodeargs' must be a string")
		}
		args, err := shlex.Split(s)
		if err != nil {
			return o, fmt.Errorf("runtime option 'nodeargs': %w", err)
		}
		o.nodeargs = args
	}
	// "packagemanager" is accepted and ignored: InstallDependencies always uses npm.
	return o, nil
}

// env returns the environment variables through which `cmd/run` learns the TypeScript settings.
func (o runtimeOptions) env() []string {
	var env []string
	if o.typescript {
		env = append(env, "PULUMI_NODEJS_TYPESCRIPT=true")
	}
	if o.tsconfig != "" {
		env = append(env, "PULUMI_NODEJS_TSCONFIG_PATH="+o.tsconfig)
	}
	return env
}

// programLocation works out the program directory and entry point from a request; the engine of
// v3.260 always fills ProgramInfo, older ones sent pwd/program only.
func programLocation(info *pulumirpc.ProgramInfo, pwd, program string) (dir, entry string) {
	dir, entry = info.GetProgramDirectory(), info.GetEntryPoint()
	if dir == "" {
		dir = pwd
	}
	if dir == "" {
		dir, _ = os.Getwd()
	}
	if entry == "" {
		entry = program
	}
	if entry == "" {
		entry = "."
	}
	return dir, entry
}

// resolveModule asks node where `mod` resolves to when required from dir (so hoisted or workspace
// node_modules work the same way as for the program itself).
func resolveModule(ctx context.Context, node, dir, mod string) (string, error) {
	const script = `try { process.stdout.write(require.resolve(process.argv[1])); } catch (e) {` +
		` console.error(e.code === "MODULE_NOT_FOUND" ? "Cannot find " + process.argv[1] +` +
		` ": the Pulumi SDK (@pulumi/pulumi) is not installed here; run npm install in " + process.cwd() :` +
		` e.message); process.exit(1); }`
	cmd := exec.CommandContext(ctx, node, "-e", script, mod)
	cmd.Dir = dir
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		if msg := strings.TrimSpace(stderr.String()); msg != "" {
			return "", errors.New(msg)
		}
		return "", fmt.Errorf("resolving %s from %s: %w", mod, dir, err)
	}
	return strings.TrimSpace(string(out)), nil
}

// runArgs builds the command line of `cmd/run` (see its usage text in @pulumi/pulumi/cmd/run).
func (h *host) runArgs(req *pulumirpc.RunRequest, runScript, programDir, entry string) []string {
	args := []string{runScript}
	add := func(flag, value string) {
		if value != "" {
			args = append(args, "--"+flag, value)
		}
	}
	add("monitor", req.GetMonitorAddress())
	add("engine", h.engineAddress)
	add("organization", req.GetOrganization())
	add("project", req.GetProject())
	add("root-directory", req.GetInfo().GetRootDirectory())
	add("stack", req.GetStack())
	add("pwd", programDir)
	if req.GetDryRun() {
		args = append(args, "--dry-run")
	}
	add("parallel", strconv.Itoa(int(req.GetParallel())))
	add("tracing", h.tracing)
	args = append(args, entry)
	return append(args, req.GetArgs()...)
}

// configEnv encodes the stack configuration the way `@pulumi/pulumi` reads it: PULUMI_CONFIG is a
// JSON object keyed "<namespace>:config:<name>" (the form every SDK version understands) and
// PULUMI_CONFIG_SECRET_KEYS a JSON array of the keys that hold secrets.
func configEnv(req *pulumirpc.RunRequest) ([]string, error) {
	cfg := make(map[string]string, len(req.GetConfig()))
	for k, v := range req.GetConfig() {
		key, err := config.ParseKey(k)
		if err != nil {
			return nil, err
		}
		cfg[key.Namespace()+":config:"+key.Name()] = v
	}
	cfgJSON, err := json.Marshal(cfg)
	if err != nil {
		return nil, err
	}
	secrets := req.GetConfigSecretKeys()
	if secrets == nil {
		secrets = []string{}
	}
	secretsJSON, err := json.Marshal(secrets)
	if err != nil {
		return nil, err
	}
	return []string{"PULUMI_CONFIG=" + string(cfgJSON), "PULUMI_CONFIG_SECRET_KEYS=" + string(secretsJSON)}, nil
}

// Run executes the program: `node [nodeargs] <cmd/run> --monitor ... <entry> [args]`, with node's
// output going to ours (the engine shows it).
func (h *host) Run(ctx context.Context, req *pulumirpc.RunRequest) (*pulumirpc.RunResponse, error) {
	if req.GetAttachDebugger() {
		return &pulumirpc.RunResponse{Error: "this language host does not support attaching a debugger"}, nil
	}
	programDir, entry := programLocation(req.GetInfo(), req.GetPwd(), req.GetProgram())
	opts, err := parseRuntimeOptions(req.GetInfo().GetOptions().AsMap())
	if err != nil {
		return &pulumirpc.RunResponse{Error: err.Error()}, nil
	}
	node, err := exec.LookPath("node")
	if err != nil {
		return &pulumirpc.RunResponse{Error: "could not find node on the $PATH: " + err.Error()}, nil
	}
	runScript := os.Getenv("PULUMI_LANGUAGE_NODEJS_RUN_PATH")
	if runScript == "" {
		runScript = runModule
	}
	if runScript, err = resolveModule(ctx, node, programDir, runScript); err != nil {
		return &pulumirpc.RunResponse{Error: err.Error()}, nil
	}
	cfgEnv, err := configEnv(req)
	if err != nil {
		return &pulumirpc.RunResponse{Error: "failed to serialize configuration: " + err.Error()}, nil
	}

	args := append(append([]string{}, opts.nodeargs...), h.runArgs(req, runScript, programDir, entry)...)
	env := append(append(os.Environ(), cfgEnv...), opts.env()...)
	logging.V(5).Infof("language host launching: %s %s", node, strings.Join(args, " "))

	cmd := h.command(ctx, node, args, env)
	cmd.Dir = programDir
	// Node may switch its stdout/stderr to non-blocking mode; handing it a pipe that we copy, rather
	// than our own file descriptors, keeps that from affecting this process.
	cmd.Stdout = struct{ io.Writer }{os.Stdout}
	cmd.Stderr = struct{ io.Writer }{os.Stderr}
	err = cmd.Run()
	_ = os.Stdout.Sync()
	_ = os.Stderr.Sync()
	if err == nil {
		return &pulumirpc.RunResponse{}, nil
	}
	var exitErr *exec.ExitError
	if !errors.As(err, &exitErr) {
		return &pulumirpc.RunResponse{Error: "could not run node: " + err.Error()}, nil
	}
	if code := exitErr.ExitCode(); code == exitCodeErrorAlreadyReported {
		return &pulumirpc.RunResponse{Bail: true}, nil
	} else if code >= 0 {
		return &pulumirpc.RunResponse{Error: fmt.Sprintf("Program exited with non-zero exit code: %d", code)}, nil
	}
	return &pulumirpc.RunResponse{Error: "Program exited unexpectedly: " + exitErr.Error()}, nil
}

// command prepares a node process that receives SIGINT (then, 5 s later, SIGKILL) when the engine
// calls Cancel or the request's context ends.
func (h *host) command(ctx context.Context, name string, args, env []string) *exec.Cmd {
	cmdCtx, cancel := context.WithCancel(h.stopCtx)
	context.AfterFunc(ctx, cancel)
	cmd := exec.CommandContext(cmdCtx, name, args...)
	cmd.Env = env
	cmd.Cancel = func() error { return cmd.Process.Signal(os.Interrupt) }
	cmd.WaitDelay = 5 * time.Second
	return cmd
}

// Cancel asks running programs to stop.
func (h *host) Cancel(context.Context, *emptypb.Empty) (*emptypb.Empty, error) {
	h.stopFunc()
	return &emptypb.Empty{}, nil
}

// Handshake is only used when the engine attaches to an already running host
// (PULUMI_DEBUG_LANGUAGES); it tells us the engine address.
func (h *host) Handshake(
	_ context.Context, req *pulumirpc.LanguageHandshakeRequest,
) (*pulumirpc.LanguageHandshakeResponse, error) {
	if req.GetEngineAddress() != "" {
		h.engineAddress = req.GetEngineAddress()
	}
	return &pulumirpc.LanguageHandshakeResponse{}, nil
}

func (h *host) GetPluginInfo(context.Context, *emptypb.Empty) (*pulumirpc.PluginInfo, error) {
	return &pulumirpc.PluginInfo{Version: version.Version}, nil
}

// GetRequiredPackages lists the provider plugins that installed npm packages declare
// (`"pulumi": {"resource": true}` in their package.json). The engine loads plugins lazily, so a
// listed plugin that is not installed only matters once a resource of that package is used.
func (h *host) GetRequiredPackages(
	_ context.Context, req *pulumirpc.GetRequiredPackagesRequest,
) (*pulumirpc.GetRequiredPackagesResponse, error) {
	dir, _ := programLocation(req.GetInfo(), "", "")
	return &pulumirpc.GetRequiredPackagesResponse{Packages: findPulumiPackages(dir)}, nil
}

// GetRequiredPlugins is the older form of GetRequiredPackages.
func (h *host) GetRequiredPlugins(
	_ context.Context, req *pulumirpc.GetRequiredPluginsRequest,
) (*pulumirpc.GetRequiredPluginsResponse, error) {
	dir, _ := programLocation(req.GetInfo(), req.GetPwd(), "")
	var plugins []*pulumirpc.PluginDependency
	for _, p := range findPulumiPackages(dir) {
		plugins = append(plugins, &pulumirpc.PluginDependency{
			Name: p.Name, Kind: p.Kind, Version: p.Version, Server: p.Server,
		})
	}
	return &pulumirpc.GetRequiredPluginsResponse{Plugins: plugins}, nil
}

// packageJSON holds the parts of a package.json we read.
type packageJSON struct {
	Name            string                   `json:"name"`
	Version         string                   `json:"version"`
	Pulumi          *plugin.PulumiPluginJSON `json:"pulumi"`
	Dependencies    map[string]string        `json:"dependencies"`
	DevDependencies map[string]string        `json:"devDependencies"`
}

func readPackageJSON(path string) (*packageJSON, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var p packageJSON
	if err := json.Unmarshal(b, &p); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return &p, nil
}

// findPulumiPackages walks <dir>/node_modules (nested node_modules too, following symlinks once).
func findPulumiPackages(dir string) []*pulumirpc.PackageDependency {
	var found []*pulumirpc.PackageDependency
	seen := map[string]bool{}
	var walk func(nodeModules string)
	visitPackage := func(pkgDir string) {
		real, err := filepath.EvalSymlinks(pkgDir)
		if err != nil || seen[real] {
			return
		}
		seen[real] = true
		if p, err := readPackageJSON(filepath.Join(real, "package.json")); err == nil {
			if dep := pluginDependency(p); dep != nil {
				found = append(found, dep)
			}
		}
		walk(filepath.Join(real, "node_modules"))
	}
	walk = func(nodeModules string) {
		entries, err := os.ReadDir(nodeModules)
		if err != nil {
			return
		}
		for _, e := range entries {
			name := e.Name()
			if strings.HasPrefix(name, ".") {
				continue
			}
			path := filepath.Join(nodeModules, name)
			if strings.HasPrefix(name, "@") { // a scope: its children are packages
				scoped, _ := os.ReadDir(path)
				for _, s := range scoped {
					visitPackage(filepath.Join(path, s.Name()))
				}
				continue
			}
			visitPackage(path)
		}
	}
	walk(filepath.Join(dir, "node_modules"))
	sort.Slice(found, func(i, j int) bool { return found[i].Name < found[j].Name })
	return found
}

// pluginDependency returns the provider plugin a package declares, or nil. The plugin name is the
// "pulumi.name" field, else the package name without its "@pulumi/" scope.
func pluginDependency(p *packageJSON) *pulumirpc.PackageDependency {
	if p.Pulumi == nil || !p.Pulumi.Resource {
		return nil
	}
	name := p.Pulumi.Name
	if name == "" && strings.HasPrefix(p.Name, "@pulumi/") {
		name = strings.TrimPrefix(p.Name, "@pulumi/")
	}
	ver := p.Pulumi.Version
	if ver == "" {
		ver = p.Version
	}
	if name == "" || ver == "" {
		return nil
	}
	if !strings.HasPrefix(ver, "v") {
		ver = "v" + ver
	}
	dep := &pulumirpc.PackageDependency{Name: name, Kind: "resource", Version: ver, Server: p.Pulumi.Server}
	if pz := p.Pulumi.Parameterization; pz != nil {
		dep.Parameterization = &pulumirpc.PackageParameterization{Name: pz.Name, Version: pz.Version, Value: pz.Value}
	}
	return dep
}

// GetProgramDependencies reports the program's direct npm dependencies with their installed versions
// (`pulumi about`). Transitive dependencies are not listed.
func (h *host) GetProgramDependencies(
	_ context.Context, req *pulumirpc.GetProgramDependenciesRequest,
) (*pulumirpc.GetProgramDependenciesResponse, error) {
	dir, _ := programLocation(req.GetInfo(), req.GetPwd(), "")
	p, err := readPackageJSON(filepath.Join(dir, "package.json"))
	if err != nil {
		return &pulumirpc.GetProgramDependenciesResponse{}, nil
	}
	var names []string
	for n := range p.Dependencies {
		names = append(names, n)
	}
	for n := range p.DevDependencies {
		if _, dup := p.Dependencies[n]; !dup {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	var deps []*pulumirpc.DependencyInfo
	for _, n := range names {
		if installed, err := readPackageJSON(filepath.Join(dir, "node_modules", n, "package.json")); err == nil {
			deps = append(deps, &pulumirpc.DependencyInfo{Name: n, Version: installed.Version})
		}
	}
	return &pulumirpc.GetProgramDependenciesResponse{Dependencies: deps}, nil
}

// About reports node's path and version (`pulumi about`).
func (h *host) About(ctx context.Context, _ *pulumirpc.AboutRequest) (*pulumirpc.AboutResponse, error) {
	node, err := exec.LookPath("node")
	if err != nil {
		return nil, fmt.Errorf("could not find node on the $PATH: %w", err)
	}
	resp := &pulumirpc.AboutResponse{Executable: node, Metadata: map[string]string{"packagemanager": "npm"}}
	if out, err := exec.CommandContext(ctx, node, "--version").Output(); err == nil {
		resp.Version = strings.TrimSpace(string(out))
	}
	return resp, nil
}

// RuntimeOptionsPrompts: `pulumi new` asks nothing extra for this host.
func (h *host) RuntimeOptionsPrompts(
	context.Context, *pulumirpc.RuntimeOptionsRequest,
) (*pulumirpc.RuntimeOptionsResponse, error) {
	return &pulumirpc.RuntimeOptionsResponse{}, nil
}

// Template: nothing to adapt in templates.
func (h *host) Template(context.Context, *pulumirpc.TemplateRequest) (*pulumirpc.TemplateResponse, error) {
	return &pulumirpc.TemplateResponse{}, nil
}

// InstallDependencies (`pulumi install`, `pulumi new`) runs `npm install` in the program
// directory when its node_modules is missing, streaming npm's output to the engine.
func (h *host) InstallDependencies(
	req *pulumirpc.InstallDependenciesRequest,
	server grpc.ServerStreamingServer[pulumirpc.InstallDependenciesResponse],
) error {
	closer, stdout, stderr, err := rpcutil.MakeInstallDependenciesStreams(server, req.GetIsTerminal())
	if err != nil {
		return err
	}
	defer closer.Close()

	dir, _ := programLocation(req.GetInfo(), req.GetDirectory(), "")
	if _, err := os.Stat(filepath.Join(dir, "node_modules")); err == nil {
		fmt.Fprintf(stdout, "node_modules already present in %s; not running npm install\n", dir)
		return closer.Close()
	}
	npmBin, err := exec.LookPath("npm")
	if err != nil {
		return fmt.Errorf("could not find npm on the $PATH: %w", err)
	}
	fmt.Fprintf(stdout, "Installing dependencies (npm install in %s)...\n", dir)
	cmd := exec.CommandContext(server.Context(), npmBin, "install")
	cmd.Dir = dir
	cmd.Stdout, cmd.Stderr = stdout, stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("npm install failed: %w", err)
	}
	fmt.Fprintln(stdout, "Finished installing dependencies")
	return closer.Close()
}

// RunPlugin runs a plugin written in TypeScript/JavaScript (a PulumiPlugin.yaml with runtime nodejs)
// through @pulumi/pulumi/cmd/run-plugin. Policy packs (kind "analyzer") are not supported.
func (h *host) RunPlugin(
	req *pulumirpc.RunPluginRequest, server grpc.ServerStreamingServer[pulumirpc.RunPluginResponse],
) error {
	if req.GetKind() == "analyzer" {
		return status.Error(codes.Unimplemented, "policy packs are not supported by this language host")
	}
	closer, stdout, stderr, err := rpcutil.MakeRunPluginStreams(server, false)
	if err != nil {
		return err
	}
	defer closer.Close()

	dir, _ := programLocation(req.GetInfo(), req.GetPwd(), req.GetProgram())
	opts, err := parseRuntimeOptions(req.GetInfo().GetOptions().AsMap())
	if err != nil {
		return err
	}
	node, err := exec.LookPath("node")
	if err != nil {
		return fmt.Errorf("could not find node on the $PATH: %w", err)
	}
	script, err := resolveModule(server.Context(), node, dir, runPluginModule)
	if err != nil {
		return err
	}
	args := append(append([]string{script}, opts.nodeargs...), dir)
	args = append(args, req.GetArgs()...)
	env := req.GetEnv()
	if len(env) == 0 {
		env = os.Environ()
	}
	cmd := h.command(server.Context(), node, args, append(append([]string{}, env...), opts.env()...))
	cmd.Dir = req.GetPwd()
	cmd.Stdout, cmd.Stderr = stdout, stderr
	if err := cmd.Run(); err != nil {
		var exitErr *exec.ExitError
		if errors.As(err, &exitErr) {
			if ws, ok := exitErr.Sys().(syscall.WaitStatus); ok {
				return fmt.Errorf("plugin exited with non-zero exit code: %d", ws.ExitStatus())
			}
		}
		return fmt.Errorf("could not run plugin: %w", err)
	}
	return closer.Close()
}
