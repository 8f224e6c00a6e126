// SPDX-License-Identifier: MIT

package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/protobuf/types/known/structpb"
)

func TestParseArgsAcceptsEngineFlags(t *testing.T) {
	o := parseArgs([]string{"--logtostderr", "-v=9", "--tracing", "http://127.0.0.1:9411", "-root=/x", "127.0.0.1:1234"})
	if o.engineAddress != "127.0.0.1:1234" || o.tracing != "http://127.0.0.1:9411" || o.showVersion {
		t.Fatalf("unexpected options %+v", o)
	}
	if o := parseArgs([]string{"--version"}); !o.showVersion {
		t.Fatal("--version not recognised")
	}
}

func TestRunArgsAndConfigEnv(t *testing.T) {
	h := newHost("127.0.0.1:2", "")
	opts, _ := structpb.NewStruct(map[string]any{"typescript": false})
	req := &pulumirpc.RunRequest{
		MonitorAddress: "127.0.0.1:1", Project: "p", Stack: "s", Organization: "o", DryRun: true, Parallel: 4,
		Args:             []string{"extra"},
		Config:           map[string]string{"p:password": "pw", "aws:region": "x"},
		ConfigSecretKeys: []string{"p:password"},
		Info:             &pulumirpc.ProgramInfo{RootDirectory: "/r", ProgramDirectory: "/r/prog", EntryPoint: ".", Options: opts},
	}
	dir, entry := programLocation(req.GetInfo(), "", "")
	got := h.runArgs(req, "run.js", dir, entry)
	want := []string{"run.js", "--monitor", "127.0.0.1:1", "--engine", "127.0.0.1:2", "--organization", "o",
		"--project", "p", "--root-directory", "/r", "--stack", "s", "--pwd", "/r/prog", "--dry-run",
		"--parallel", "4", ".", "extra"}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("args\n got %q\nwant %q", got, want)
	}

	env, err := configEnv(req)
	if err != nil {
		t.Fatal(err)
	}
	var cfg map[string]string
	if err := json.Unmarshal([]byte(strings.TrimPrefix(env[0], "PULUMI_CONFIG=")), &cfg); err != nil {
		t.Fatal(err)
	}
	if cfg["p:config:password"] != "pw" || cfg["aws:config:region"] != "x" {
		t.Fatalf("config %v", cfg)
	}
	if env[1] != `PULUMI_CONFIG_SECRET_KEYS=["p:password"]` {
		t.Fatalf("secret keys %q", env[1])
	}

	ro, err := parseRuntimeOptions(opts.AsMap())
	if err != nil || len(ro.env()) != 0 {
		t.Fatalf("typescript: false should set no env, got %v %v", ro.env(), err)
	}
	ro, _ = parseRuntimeOptions(map[string]any{"tsconfig": "tsconfig.pulumi.json", "nodeargs": "--max-old-space-size=4096 --trace-warnings"})
	if !reflect.DeepEqual(ro.env(), []string{"PULUMI_NODEJS_TYPESCRIPT=true", "PULUMI_NODEJS_TSCONFIG_PATH=tsconfig.pulumi.json"}) ||
		len(ro.nodeargs) != 2 {
		t.Fatalf("options %+v", ro)
	}
}

func TestFindPulumiPackages(t *testing.T) {
	dir := t.TempDir()
	write := func(rel, content string) {
		p := filepath.Join(dir, rel)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("node_modules/@pulumi/kafka/package.json", `{"name":"@pulumi/kafka","version":"3.13.2","pulumi":{"resource":true,"name":"kafka","version":"3.13.2"}}`)
	write("node_modules/@pulumi/pulumi/package.json", `{"name":"@pulumi/pulumi","version":"3.260.0"}`)
	write("node_modules/a/node_modules/@pulumi/random/package.json", `{"name":"@pulumi/random","version":"4.0.0","pulumi":{"resource":true}}`)
	got := findPulumiPackages(dir)
	if len(got) != 2 || got[0].Name != "kafka" || got[0].Version != "v3.13.2" || got[1].Name != "random" || got[1].Version != "v4.0.0" {
		t.Fatalf("unexpected packages %v", got)
	}
}
