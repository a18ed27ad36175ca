// Command kstatus prints what Flux's health checks see for Kubernetes objects: the result of
// sigs.k8s.io/cli-utils' status.Compute (the library behind a Kustomization's wait: true and
// healthChecks) for each JSON object on standard input, one JSON line each:
// {"name": ..., "status": "Current|InProgress|Failed|Terminating|...", "message": ...}.
// Objects are decoded with Unstructured.UnmarshalJSON, as an API client would (plain
// encoding/json turns metadata.generation into a float, which kstatus refuses).
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"sigs.k8s.io/cli-utils/pkg/kstatus/status"
)

type result struct {
	Name    string `json:"name"`
	Status  string `json:"status"`
	Message string `json:"message"`
}

func main() {
	decoder := json.NewDecoder(bufio.NewReader(os.Stdin))
	out := json.NewEncoder(os.Stdout)
	for {
		var raw json.RawMessage
		if err := decoder.Decode(&raw); err == io.EOF {
			return
		} else if err != nil {
			fail("reading an object: %v", err)
		}
		u := &unstructured.Unstructured{}
		if err := u.UnmarshalJSON(raw); err != nil {
			fail("decoding an object: %v", err)
		}
		res, err := status.Compute(u)
		if err != nil {
			fail("computing the status of %s/%s: %v", u.GetNamespace(), u.GetName(), err)
		}
		if err := out.Encode(result{u.GetName(), res.Status.String(), res.Message}); err != nil {
			fail("writing: %v", err)
		}
	}
}

func fail(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "kstatus: "+format+"\n", args...)
	os.Exit(2)
}
