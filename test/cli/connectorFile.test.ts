// Connector files as deploy and validate read them: Connect's shape or a bare config, malformed JSON at its line and column.
import * as assert from "node:assert/strict";
import { lineAndColumn, parseConnectorFile } from "../../cli/connectorFile";

describe("cli/connectorFile", () => {
    it("reads Connect's shape and a bare config, values as strings", () => {
        assert.deepEqual(parseConnectorFile("f.json", '{"name":"a","config":{"connector.class":"C","tasks.max":2,"x":true}}'), {
            name: "a",
            config: { "connector.class": "C", "tasks.max": "2", x: "true", name: "a" },
        });
        assert.deepEqual(parseConnectorFile("f.json", '{"name":"b","connector.class":"C"}'), {
            name: "b",
            config: { name: "b", "connector.class": "C" },
        });
    });

    it("names the line and column of malformed JSON, and every problem of a well-formed one", () => {
        assert.throws(
            () => parseConnectorFile("f.json", '{\n  "name": "x",\n  "config": {\n    "a": "1"\n    "b": "2"\n  }\n}'),
            /^CliError: f\.json:5:5: not valid JSON: Expected/,
        );
        assert.throws(() => parseConnectorFile("f.json", "[1]"), /f\.json: expected a JSON object/);
        assert.throws(() => parseConnectorFile("f.json", '{"config":{"connector.class":"C"}}'), /f\.json: no connector name/);
        assert.throws(
            () => parseConnectorFile("f.json", '{"name":"a","config":{"nested":{"x":1}}}'),
            /config\["nested"\]: must be a string, number or boolean; config\["connector.class"\]: missing/,
        );
        assert.deepEqual(lineAndColumn("ab\ncd", 4), { line: 2, column: 2 });
    });
});
