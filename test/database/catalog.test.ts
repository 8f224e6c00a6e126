import * as assert from "node:assert/strict";
import { parseMysqlOptions } from "../../database/catalog";

describe("catalog", () => {
    it("reads ENUM/SET options as information_schema spells them", () => {
        assert.deepEqual(parseMysqlOptions("enum('a','b,c','it''s','x\\\\y','',' sp','q\"d')"), [
            "a",
            "b,c",
            "it's",
            "x\\y",
            "",
            " sp",
            'q"d',
        ]);
        assert.deepEqual(parseMysqlOptions("set('p','q r')"), ["p", "q r"]);
    });
});
