/* sitegen search: the archive's search on a plain static host, no server and no framework.
 *
 * It reads the index that `sitegen build` exports into search/ (see sitegen/search/export.py)
 * and mirrors sitegen/search/schema.py and query.py step by step: the same analysis
 * (tokenizer, lowercase, accent folding, stop words, Porter stemmer), the same query
 * language and the same BM25F formula, so its top results are `sitegen search`'s.
 * A query fetches the meta file, the shards holding its words, and records only for the
 * results it shows.
 */
(function () {
  "use strict";

  // ---------------------------------------------------------------- analysis (schema.py)

  const WORD = /[\p{L}\p{N}_]+(?:\.?[\p{L}\p{N}_]+)*/gu;
  const SPACE = /\s/;

  const LETTER_FOLDS = {
    "ł": "l", "ø": "o", "đ": "d", "ð": "d", "ħ": "h", "ı": "i", "ŧ": "t",
    "æ": "ae", "œ": "oe", "ß": "ss", "þ": "th",
  };

  function fold(text) {
    // as fold_accents(): NFKD, drop nonspacing marks, unstroke a few letters
    if (!/[^\x00-\x7f]/.test(text)) return text;
    return text.normalize("NFKD").replace(/\p{Mn}/gu, "").replace(/[łøđðħıŧæœßþ]/g, (c) => LETTER_FOLDS[c]);
  }

  function nameKey(name) {
    return fold(name.split(/\s+/).filter(Boolean).join(" ").toLowerCase());
  }

  function codePoints(text) {
    let n = 0;
    for (const _ of text) n++;
    return n;
  }

  // whoosh.lang.porter.stem, rule for rule, including its quirks (anchored matches).
  const STEP2 = {
    ational: "ate", tional: "tion", enci: "ence", anci: "ance", izer: "ize", bli: "ble",
    alli: "al", entli: "ent", eli: "e", ousli: "ous", ization: "ize", ation: "ate",
    ator: "ate", alism: "al", iveness: "ive", fulness: "ful", ousness: "ous", aliti: "al",
    iviti: "ive", biliti: "ble", logi: "log",
  };
  const STEP3 = { icate: "ic", ative: "", alize: "al", iciti: "ic", ical: "ic", ful: "", ness: "" };
  const C = "[^aeiouy]+", V = "[aeiou]+";
  const MGR0 = new RegExp("^(" + C + ")?" + V + C, "u");
  const MEQ1 = new RegExp("^(" + C + ")?" + V + C + "(" + V + ")?$", "u");
  const MGR1 = new RegExp("^(" + C + ")?" + V + C + V + C, "u");
  const S_V = new RegExp("^(" + C + ")?[aeiouy]", "u");
  const C_V = new RegExp("^" + C + "[aeiouy][^aeiouwxy]$", "u");
  const ED_ING = /^(.*)(ed|ing)$/u;
  const AT_BL_IZ = /^(at|bl|iz)$/u;
  const STEP1B = /^([^aeiouylsz])\1$/u;
  const RE_STEP2 = new RegExp("^(.+?)(" + Object.keys(STEP2).join("|") + ")$", "u");
  const RE_STEP3 = new RegExp("^(.+?)(" + Object.keys(STEP3).join("|") + ")$", "u");
  const RE_STEP4_1 = /^(.+?)(al|ance|ence|er|ic|able|ible|ant|ement|ment|ent|ou|ism|ate|iti|ous|ive|ize)$/u;
  const RE_STEP4_2 = /^(.+?)(s|t)(ion)$/u;
  const RE_STEP5 = /^(.+?)e$/u;

  function stem(w) {
    if (codePoints(w) < 3) return w;
    const firstIsY = w[0] === "y";
    if (firstIsY) w = "Y" + w.slice(1);
    let m;
    if (w.endsWith("s")) {
      if (w.endsWith("sses") || w.endsWith("ies")) w = w.slice(0, -2);
      else if (w[w.length - 2] !== "s") w = w.slice(0, -1);
    }
    if (w.endsWith("eed")) {
      if (MGR0.test(w.slice(0, -3))) w = w.slice(0, -1);
    } else if ((m = ED_ING.exec(w))) {
      const s = m[1];
      if (S_V.test(s)) {
        w = s;
        if (AT_BL_IZ.test(w)) w += "e";
        else if (STEP1B.test(w)) w = w.slice(0, -1);
        else if (C_V.test(w)) w += "e";
      }
    }
    if (w.endsWith("y")) {
      const s = w.slice(0, -1);
      if (S_V.test(s)) w = s + "i";
    }
    if ((m = RE_STEP2.exec(w)) && MGR0.test(m[1])) w = m[1] + STEP2[m[2]];
    if ((m = RE_STEP3.exec(w)) && MGR0.test(m[1])) w = m[1] + STEP3[m[2]];
    if ((m = RE_STEP4_1.exec(w))) {
      if (MGR1.test(m[1])) w = m[1];
    } else if ((m = RE_STEP4_2.exec(w))) {
      if (MGR1.test(m[1] + m[2])) w = m[1] + m[2];
    }
    if ((m = RE_STEP5.exec(w))) {
      const s = m[1];
      if (MGR1.test(s) || (MEQ1.test(s) && !C_V.test(s))) w = s;
    }
    if (w.endsWith("ll") && MGR1.test(w)) w = w.slice(0, -1);
    if (firstIsY) w = "y" + w.slice(1);
    return w;
  }

  function makeAnalyzer(settings) {
    const stops = new Set(settings.stopWords);
    const cache = new Map();
    // [{term, start, end}] for every indexed word of a text (UTF-16 offsets)
    return function analyze(text) {
      const out = [];
      for (const match of text.matchAll(WORD)) {
        const word = fold(match[0].toLowerCase());
        const size = codePoints(word);
        if (size < settings.minWord || size > settings.maxWord || stops.has(word)) continue;
        let term = cache.get(word);
        if (term === undefined) {
          term = stem(word);
          if (cache.size < 20000) cache.set(word, term);
        }
        out.push({ term, start: match.index, end: match.index + match[0].length });
      }
      return out;
    };
  }

  // ------------------------------------------------------------- query language (query.py)

  const FIELD_ALIASES = {
    person: "people", people: "people", topic: "topics", topics: "topics",
    source: "source", sources: "source", year: "year", title: "title",
    author: "authors", authors: "authors",
  };
  const EXAMPLES = {
    people: "Ann Lee", topics: "Elections", source: "Reuters", year: "2024", authors: "Jane Doe",
  };
  const OPERATORS = ["AND", "OR", "NOT"];
  const TEXT_FIELDS = ["title", "body"];
  const KEY_FIELDS = ["people", "topics", "source", "year", "authors"];

  class QueryError extends Error {}

  function tokenize(text) {
    const tokens = [];
    const n = text.length;
    let i = 0;
    while (i < n) {
      const c = text[i];
      if (SPACE.test(c)) {
        i++;
      } else if (c === "(" || c === ")") {
        tokens.push({ kind: c, pos: i, text: "" });
        i++;
      } else if (c === '"') {
        const end = text.indexOf('"', i + 1);
        if (end < 0) throw new QueryError(`the quote (") at character ${i + 1} is not closed`);
        tokens.push({ kind: "phrase", pos: i, text: text.slice(i + 1, end), field: null });
        i = end + 1;
      } else if (c === "-" && i + 1 < n && !SPACE.test(text[i + 1]) && !"-)".includes(text[i + 1])) {
        tokens.push({ kind: "NOT", pos: i, text: "-" });
        i++;
      } else {
        let j = i;
        while (j < n && !SPACE.test(text[j]) && !'()"'.includes(text[j])) j++;
        const word = text.slice(i, j);
        const colon = word.indexOf(":");
        const alias = colon > 0 ? word.slice(0, colon).toLowerCase() : "";
        if (OPERATORS.includes(word)) {
          tokens.push({ kind: word, pos: i, text: word });
        } else if (Object.prototype.hasOwnProperty.call(FIELD_ALIASES, alias)) {
          const name = FIELD_ALIASES[alias];
          const value = word.slice(colon + 1);
          if (value) {
            const kind = value.endsWith("*") && /[^*]/.test(value) ? "prefix" : "word";
            tokens.push({ kind, pos: i, text: value.replace(/\*+$/, "") || value, field: name });
          } else if (j < n && text[j] === '"') {
            const end = text.indexOf('"', j + 1);
            if (end < 0) throw new QueryError(`the quote (") at character ${j + 1} is not closed`);
            tokens.push({ kind: "phrase", pos: i, text: text.slice(j + 1, end), field: name });
            j = end + 1;
          } else {
            throw new QueryError(
              `'${word}' at character ${i + 1} needs something after the colon, ` +
              `like ${alias}:"${EXAMPLES[name] || "word"}"`);
          }
        } else if (word.endsWith("*") && /[^*]/.test(word)) {
          tokens.push({ kind: "prefix", pos: i, text: word.replace(/\*+$/, ""), field: null });
        } else {
          tokens.push({ kind: "word", pos: i, text: word, field: null });
        }
        i = j;
      }
    }
    return tokens;
  }

  function parse(text) {
    const tokens = tokenize(text);
    let at = 0;
    const peek = () => (at < tokens.length ? tokens[at] : null);
    const take = () => {
      if (at >= tokens.length) throw new QueryError("the query ends where a search term should follow");
      return tokens[at++];
    };
    function needOperand(op) {
      const t = peek();
      if (t === null || t.kind === ")" || t.kind === "AND" || t.kind === "OR") {
        const name = op.text !== "-" ? op.text : "'-'";
        throw new QueryError(`${name} at character ${op.pos + 1} needs a search term after it`);
      }
    }
    function parseOr() {
      const items = [parseAnd()];
      let t;
      while ((t = peek()) !== null && t.kind === "OR") {
        take();
        needOperand(t);
        items.push(parseAnd());
      }
      return items.length === 1 ? items[0] : ["OR", items];
    }
    function parseAnd() {
      const items = [parseUnary()];
      let t;
      while ((t = peek()) !== null && t.kind !== ")" && t.kind !== "OR") {
        if (t.kind === "AND") {
          take();
          needOperand(t);
        }
        items.push(parseUnary());
      }
      return items.length === 1 ? items[0] : ["AND", items];
    }
    function parseUnary() {
      const t = peek();
      if (t !== null && t.kind === "NOT") {
        take();
        needOperand(t);
        return ["NOT", parseUnary()];
      }
      return parsePrimary();
    }
    function parsePrimary() {
      const t = take();
      if (t.kind === "(") {
        const inner = peek();
        if (inner === null) throw new QueryError(`the '(' at character ${t.pos + 1} is not closed`);
        if (inner.kind === ")") {
          throw new QueryError(`the parentheses at character ${t.pos + 1} are empty`);
        }
        const node = parseOr();
        const close = peek();
        if (close === null || close.kind !== ")") {
          throw new QueryError(`the '(' at character ${t.pos + 1} is not closed`);
        }
        take();
        return node;
      }
      if (t.kind === ")") throw new QueryError(`the ')' at character ${t.pos + 1} has no matching '('`);
      if (t.kind === "AND" || t.kind === "OR") {
        throw new QueryError(`'${t.kind}' at character ${t.pos + 1} needs a search term before it`);
      }
      return ["LEAF", t];
    }
    if (!tokens.length) return null;
    const node = parseOr();
    const extra = peek();
    if (extra !== null) throw new QueryError(`the ')' at character ${extra.pos + 1} has no matching '('`);
    return node;
  }

  function unique(items) {
    const seen = new Set();
    return items.filter((item) => {
      const key = JSON.stringify(item);
      return !seen.has(key) && seen.add(key);
    });
  }

  function normalize(node) {
    if (node === null) return null;
    const kind = node[0];
    if (kind === "term" || kind === "phrase") return node;
    if (kind === "not") return normalize(["and", [node]]);
    if (kind === "or") {
      const items = [];
      for (let child of node[1]) {
        child = normalize(child);
        if (child === null) continue;
        if (child[0] === "or") items.push(...child[1]);
        else items.push(child);
      }
      const u = unique(items);
      if (!u.length) return null;
      return u.length === 1 ? u[0] : ["or", u];
    }
    const positive = [];
    const negative = [];
    for (let child of node[1]) {
      if (child !== null && child[0] === "not") {
        const inner = normalize(child[1]);
        if (inner !== null) {
          if (inner[0] === "or") negative.push(...inner[1]);
          else negative.push(inner);
        }
        continue;
      }
      child = normalize(child);
      if (child === null) continue;
      if (child[0] === "and") positive.push(...child[1]);
      else positive.push(child);
    }
    const pos = unique(positive);
    const neg = unique(negative);
    if (!pos.length) {
      if (neg.length) {
        throw new QueryError("NOT only takes results away: add a word to search for, like 'putin NOT trump'");
      }
      return null;
    }
    const result = pos.length === 1 ? pos[0] : ["and", pos];
    if (neg.length) return ["andnot", result, neg.length === 1 ? neg[0] : ["or", neg]];
    return result;
  }

  function highlightTerms(node, out = new Set()) {
    if (node === null) return out;
    const kind = node[0];
    if (kind === "term") {
      if (TEXT_FIELDS.includes(node[1])) out.add(node[2]);
    } else if (kind === "phrase") {
      node[2].forEach((w) => out.add(w));
    } else if (kind === "andnot") {
      highlightTerms(node[1], out);
    } else {
      node[1].forEach((child) => highlightTerms(child, out));
    }
    return out;
  }

  // ---------------------------------------------------------------- reading the files

  async function inflate(bytes) {
    if (bytes[0] !== 0x1f || bytes[1] !== 0x8b) return bytes; // the host already decoded it
    const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
    return new Uint8Array(await new Response(stream).arrayBuffer());
  }

  async function fetchBytes(url) {
    const response = await fetch(url);
    if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
    return inflate(new Uint8Array(await response.arrayBuffer()));
  }

  const utf8 = new TextDecoder();

  class Reader {
    constructor(bytes) {
      this.bytes = bytes;
      this.at = 0;
    }
    byte() {
      return this.bytes[this.at++];
    }
    varint() {
      let value = 0, shift = 0, b;
      do {
        b = this.bytes[this.at++];
        value += (b & 0x7f) * 2 ** shift;
        shift += 7;
      } while (b & 0x80);
      return value;
    }
    take(n) {
      const out = this.bytes.subarray(this.at, this.at + n);
      this.at += n;
      return out;
    }
  }

  function readKeys(r, count, each) {
    let previous = new Uint8Array(0);
    for (let k = 0; k < count; k++) {
      const shared = r.varint();
      const suffix = r.take(r.varint());
      const key = new Uint8Array(shared + suffix.length);
      key.set(previous.subarray(0, shared));
      key.set(suffix, shared);
      previous = key;
      each(utf8.decode(key));
    }
  }

  // key -> Map(field id -> {df, docs, tfs, lens})
  function parseTermShard(bytes, textIds) {
    const r = new Reader(bytes);
    r.byte(); // format version
    const entries = new Map();
    readKeys(r, r.varint(), (key) => {
      const fields = new Map();
      for (let f = r.varint(); f > 0; f--) {
        const id = r.byte();
        const df = r.varint();
        const n = r.varint();
        const docs = new Int32Array(n);
        for (let i = 0, last = 0; i < n; i++) docs[i] = last += r.varint();
        let tfs = null, lens = null;
        if (textIds.has(id)) {
          tfs = new Int32Array(n);
          for (let i = 0; i < n; i++) tfs[i] = r.varint();
          lens = r.take(n);
        }
        fields.set(id, { df, docs, tfs, lens });
      }
      entries.set(key, fields);
    });
    return entries;
  }

  // key -> Map(field id -> [Int32Array of positions, one per posting])
  function parsePositionShard(bytes) {
    const r = new Reader(bytes);
    r.byte();
    const entries = new Map();
    readKeys(r, r.varint(), (key) => {
      const fields = new Map();
      for (let f = r.varint(); f > 0; f--) {
        const id = r.byte();
        const n = r.varint();
        const lists = new Array(n);
        for (let i = 0; i < n; i++) {
          const count = r.varint();
          const positions = new Int32Array(count);
          for (let j = 0, last = 0; j < count; j++) positions[j] = last += r.varint();
          lists[i] = positions;
        }
        fields.set(id, lists);
      }
      entries.set(key, fields);
    });
    return entries;
  }

  // --------------------------------------------------------------------- the engine

  class Engine {
    constructor(metaUrl, meta) {
      this.folder = metaUrl.slice(0, metaUrl.lastIndexOf("/") + 1);
      this.meta = meta;
      this.analyze = makeAnalyzer(meta.analysis);
      this.fields = new Map(meta.fields.map((f) => [f.name, f]));
      this.textIds = new Set(meta.fields.map((f) => f.id));
      this.keyFields = meta.keyFields;
      this.cache = new Map();
    }

    static async open(metaUrl) {
      const meta = JSON.parse(utf8.decode(await fetchBytes(metaUrl)));
      return new Engine(metaUrl, meta);
    }

    load(kind, name, parseFn) {
      const url = `${this.folder}${kind}/${name}.sgz`;
      if (!this.cache.has(url)) {
        const promise = fetchBytes(url).then(parseFn);
        promise.catch(() => this.cache.delete(url)); // a failed fetch may be retried
        this.cache.set(url, promise);
      }
      return this.cache.get(url);
    }

    // the shard that would hold a key: the last one whose first key is <= key
    shardOf(key) {
      const keys = this.meta.shardKeys;
      let lo = 0, hi = keys.length - 1, found = -1;
      while (lo <= hi) {
        const mid = (lo + hi) >> 1;
        if (keys[mid] <= key) {
          found = mid;
          lo = mid + 1;
        } else hi = mid - 1;
      }
      return found;
    }

    termShard(i) {
      return this.load("t", this.meta.shards[i], (b) => parseTermShard(b, this.textIds));
    }

    positionShard(i) {
      return this.load("p", this.meta.shards[i], parsePositionShard);
    }

    keyOf(field, text) {
      return this.keyFields[field] ? this.keyFields[field].prefix + text : text;
    }

    fieldId(field) {
      return this.fields.has(field) ? this.fields.get(field).id : this.keyFields[field].id;
    }

    async postings(field, text) {
      const key = this.keyOf(field, text);
      const i = this.shardOf(key);
      if (i < 0) return null;
      const entry = (await this.termShard(i)).get(key);
      return (entry && entry.get(this.fieldId(field))) || null;
    }

    async positions(field, text) {
      const i = this.shardOf(text);
      const entry = (await this.positionShard(i)).get(text);
      return entry.get(this.fieldId(field));
    }

    // every indexed title/body word starting with one of the prefixes, sorted
    async expand(prefixes) {
      const words = new Set();
      const limit = this.meta.query.maxExpansions;
      for (const prefix of prefixes) {
        const first = Math.max(0, this.shardOf(prefix));
        const last = Math.max(0, this.shardOf(prefix + "\uffff"));
        if (last - first > limit + 1) return new Array(limit + 1).fill(""); // surely too many
        for (let i = first; i <= last; i++) {
          for (const [key, fields] of await this.termShard(i)) {
            if (!key.startsWith(prefix)) continue;
            if (TEXT_FIELDS.some((f) => fields.has(this.fieldId(f)))) words.add(key);
          }
        }
      }
      return [...words].sort();
    }

    prefixTexts(token) {
      const words = fold(token.text.toLowerCase()).match(WORD) || [];
      if (words.length !== 1) {
        throw new QueryError(`'${token.text}*' at character ${token.pos + 1}: '*' works at the end of one word`);
      }
      const text = words[0];
      if (codePoints(text) < this.meta.query.minPrefix) {
        throw new QueryError(
          `'${token.text}*' at character ${token.pos + 1} is too short: ` +
          `give at least ${this.meta.query.minPrefix} letters before the '*'`);
      }
      const stemmed = stem(text);
      return stemmed === text ? [text] : [text, stemmed];
    }

    wordsNode(words, fields) {
      if (!words.length) return null;
      const items = words.length === 1
        ? fields.map((f) => ["term", f, words[0], this.fields.get(f).boost])
        : fields.map((f) => ["phrase", f, words, this.fields.get(f).boost]);
      return items.length === 1 ? items[0] : ["or", items];
    }

    async compileLeaf(token) {
      if (KEY_FIELDS.includes(token.field)) {
        if (token.kind === "prefix") {
          throw new QueryError(`'*' at character ${token.pos + 1}: names match exactly, without '*'`);
        }
        const key = nameKey(token.text);
        if (token.field === "year" && !/^[0-9]{4}$/.test(key)) {
          throw new QueryError(
            `year: at character ${token.pos + 1} needs a four-digit year like 2024, not '${token.text}'`);
        }
        if (!key) throw new QueryError(`the name at character ${token.pos + 1} is empty`);
        return ["term", token.field, key, 1.0];
      }
      const fields = TEXT_FIELDS.includes(token.field) ? [token.field] : TEXT_FIELDS;
      if (token.kind === "prefix") {
        const words = await this.expand(this.prefixTexts(token));
        const limit = this.meta.query.maxExpansions;
        if (words.length > limit) {
          throw new QueryError(
            `'${token.text}*' matches more than ${limit} different words; give a few more letters`);
        }
        const items = [];
        for (const w of words) for (const f of fields) items.push(["term", f, w, this.fields.get(f).boost]);
        return items.length ? ["or", items] : null;
      }
      return this.wordsNode(this.analyze(token.text).map((t) => t.term), fields);
    }

    async compile(tree) {
      if (tree === null) return null;
      const kind = tree[0];
      if (kind === "LEAF") return this.compileLeaf(tree[1]);
      if (kind === "NOT") {
        const inner = await this.compile(tree[1]);
        return inner === null ? null : ["not", inner];
      }
      const items = [];
      for (const item of tree[1]) items.push(await this.compile(item));
      return [kind === "AND" ? "and" : "or", items];
    }

    prepare(text) {
      return this.compile(parse(text)).then(normalize);
    }

    // BM25F exactly as whoosh.scoring.BM25F: idf = log(N / (df + 1)) + 1 with N counting
    // deleted documents, field lengths as Whoosh's one-byte approximation.
    async termScores(field, text, boost) {
      const scores = new Map();
      const p = await this.postings(field, text);
      if (p === null) return scores;
      const f = this.fields.get(field);
      if (!f) {
        for (const doc of p.docs) scores.set(doc, 1.0 * boost); // unscored keyword: weight 1
        return scores;
      }
      const K1 = this.meta.k1, B = f.b, avgfl = f.avgLength, table = this.meta.lengthTable;
      const idf = Math.log(this.meta.docCountAll / (p.df + 1)) + 1;
      for (let i = 0; i < p.docs.length; i++) {
        const tf = p.tfs[i];
        const fl = table[p.lens[i]];
        const s = idf * ((tf * (K1 + 1)) / (tf + K1 * ((1 - B) + (B * fl) / avgfl)));
        scores.set(p.docs[i], s * boost); // the field weight, inside each term's score
      }
      return scores;
    }

    async phraseScores(field, words, boost) {
      const lists = [];
      for (const w of words) {
        const p = await this.postings(field, w);
        if (p === null) return new Map();
        lists.push(p);
      }
      // each word scored with the field weight, then summed (as Whoosh's phrase matcher)
      const scores = await Promise.all(words.map((w) => this.termScores(field, w, boost)));
      const positions = await Promise.all(words.map((w) => this.positions(field, w)));
      const index = lists.map((p) => new Map(Array.from(p.docs, (d, i) => [d, i])));
      const out = new Map();
      for (const doc of lists[0].docs) {
        if (!index.every((m) => m.has(doc))) continue;
        const starts = positions[0][index[0].get(doc)];
        let ok = false;
        for (const start of starts) {
          ok = words.every((_, k) => k === 0 || positions[k][index[k].get(doc)].includes(start + k));
          if (ok) break;
        }
        if (!ok) continue;
        let total = 0;
        for (const s of scores) total += s.get(doc);
        out.set(doc, total);
      }
      return out;
    }

    async evaluate(node) {
      const kind = node[0];
      if (kind === "term") return this.termScores(node[1], node[2], node[3]);
      if (kind === "phrase") return this.phraseScores(node[1], node[2], node[3]);
      if (kind === "andnot") {
        const [keep, drop] = await Promise.all([this.evaluate(node[1]), this.evaluate(node[2])]);
        for (const doc of drop.keys()) keep.delete(doc);
        return keep;
      }
      const parts = await Promise.all(node[1].map((child) => this.evaluate(child)));
      if (kind === "or") {
        const out = new Map();
        for (const part of parts) for (const [doc, s] of part) out.set(doc, (out.get(doc) || 0) + s);
        return out;
      }
      parts.sort((a, b) => a.size - b.size);
      const out = new Map();
      for (const [doc, s] of parts[0]) {
        let total = s, all = true;
        for (let k = 1; k < parts.length && all; k++) {
          const other = parts[k].get(doc);
          if (other === undefined) all = false;
          else total += other;
        }
        if (all) out.set(doc, total);
      }
      return out;
    }

    async filterDocs(filters) {
      let allowed = null;
      for (const field of KEY_FIELDS) {
        for (const value of filters[field] || []) {
          const p = await this.postings(field, nameKey(value));
          const docs = new Set(p ? p.docs : []);
          allowed = allowed === null ? docs : new Set([...allowed].filter((d) => docs.has(d)));
        }
      }
      return allowed;
    }

    // {total, hits: [{doc, score}], terms} or throws QueryError
    async search(text, filters = {}, limit = 10) {
      const node = await this.prepare(text);
      const allowed = await this.filterDocs(filters);
      if (node === null && allowed === null) {
        if (text.trim()) {
          throw new QueryError("nothing to search for: the query has only very common or very short words " +
            "(like 'the' or 'a'), which are not indexed");
        }
        throw new QueryError("the query is empty: give a word to search for");
      }
      let scores;
      if (node === null) {
        scores = new Map([...allowed].map((d) => [d, 1.0]));
      } else {
        scores = await this.evaluate(node);
        if (allowed !== null) for (const doc of [...scores.keys()]) if (!allowed.has(doc)) scores.delete(doc);
      }
      const ranked = [...scores].sort((a, b) => b[1] - a[1] || a[0] - b[0]);
      return {
        total: ranked.length,
        ranked,
        hits: ranked.slice(0, limit).map(([doc, score]) => ({ doc, score })),
        terms: highlightTerms(node),
      };
    }

    async record(doc) {
      const block = Math.floor(doc / this.meta.directoryBlock);
      const names = await this.load("n", this.meta.directories[block], (b) => JSON.parse(utf8.decode(b)));
      const name = names[doc % this.meta.directoryBlock];
      return this.load("d", name, (b) => JSON.parse(utf8.decode(b)));
    }

    // the window of the excerpt with the most different matched words (as make_snippet)
    snippet(text, terms) {
      const size = this.meta.query.snippetChars;
      if (!text) return { text: "", marks: [] };
      const hits = terms.size ? this.analyze(text).filter((t) => terms.has(t.term)) : [];
      if (!hits.length) return cut(text, 0, size, []);
      let best = 0, bestCount = -1;
      hits.forEach((h, i) => {
        const inside = new Set(hits.slice(i).filter((o) => o.end <= h.start + size).map((o) => o.term));
        if (inside.size > bestCount) {
          best = i;
          bestCount = inside.size;
        }
      });
      const start = hits[best].start;
      let lead = Math.max(0, start - Math.floor(size / 6));
      if (lead > 0) {
        const space = text.lastIndexOf(" ", lead);
        lead = space >= 0 && start - space < Math.floor(size / 3) ? space + 1 : start;
      }
      return cut(text, lead, size, hits.map((h) => [h.start, h.end]));
    }
  }

  function cut(text, start, size, marks) {
    let end = Math.min(text.length, start + size);
    if (end < text.length) {
      const space = text.lastIndexOf(" ", end - 1);
      if (space > start) end = space;
    }
    const prefix = start > 0 ? "…" : "";
    const suffix = end < text.length ? "…" : "";
    const shift = prefix.length - start;
    return {
      text: prefix + text.slice(start, end) + suffix,
      marks: marks.filter(([s, e]) => s >= start && e <= end).map(([s, e]) => [s + shift, e + shift]),
    };
  }

  // ------------------------------------------------------------------------- the page

  const FILTERS = [ // URL parameter, index field, label, heading
    ["person", "people", "Person", "People"],
    ["topic", "topics", "Topic", "Topics"],
    ["source", "source", "Source", "Sources"],
    ["year", "year", "Year", "Years"],
    ["author", "authors", "Author", "Authors"],
  ];
  const PAGE = 10;

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v !== null && v !== undefined && v !== false) node.setAttribute(k, v === true ? "" : v);
    }
    for (const child of children) {
      if (child !== null && child !== undefined) node.append(child);
    }
    return node;
  }

  function marked(snippet) {
    const out = document.createDocumentFragment();
    let at = 0;
    for (const [s, e] of snippet.marks) {
      if (s > at) out.append(snippet.text.slice(at, s));
      out.append(el("mark", null, snippet.text.slice(s, e)));
      at = e;
    }
    out.append(snippet.text.slice(at));
    return out;
  }

  function formatDate(iso) {
    if (!iso) return "Undated";
    const [y, m, d] = iso.split("-").map(Number);
    const months = ["January", "February", "March", "April", "May", "June", "July", "August",
      "September", "October", "November", "December"];
    return `${d} ${months[m - 1]} ${y}`;
  }

  class SearchPage {
    constructor(root) {
      this.root = root;
      this.base = root.dataset.base || "/";
      this.form = root.querySelector("form.search-form");
      this.input = this.form.querySelector("input[name=q]");
      this.status = root.querySelector(".search-status");
      this.list = root.querySelector(".search-results");
      this.more = root.querySelector(".search-more");
      this.refine = root.querySelector(".search-refine");
      this.active = root.querySelector(".search-active-filters");
      this.yearSelect = this.form.querySelector("select[name=year]");
      this.filters = { people: [], topics: [], source: [], year: [], authors: [] };
      this.run = 0;
      this.shown = 0;
      this.engine = Engine.open(root.dataset.meta);
      this.engine.then((engine) => this.fillYears(engine), () => this.say("The search index could not be loaded."));
      this.bind();
      this.readUrl();
      if (this.input.value.trim() || this.hasFilters()) this.search();
    }

    hasFilters() {
      return Object.values(this.filters).some((v) => v.length);
    }

    bind() {
      let timer = null;
      this.form.addEventListener("submit", (event) => {
        event.preventDefault();
        clearTimeout(timer);
        this.search(true);
      });
      this.input.addEventListener("input", () => {
        clearTimeout(timer);
        timer = setTimeout(() => this.search(), 250);
      });
      this.input.addEventListener("keydown", (event) => {
        if (event.key === "ArrowDown") {
          const first = this.list.querySelector("a");
          if (first) {
            event.preventDefault();
            first.focus();
          }
        } else if (event.key === "Escape" && this.input.value) {
          this.input.value = "";
          this.search();
        }
      });
      this.list.addEventListener("keydown", (event) => {
        if (event.key !== "ArrowDown" && event.key !== "ArrowUp") return;
        const links = [...this.list.querySelectorAll("h2 a")];
        const at = links.indexOf(document.activeElement);
        if (at < 0) return;
        event.preventDefault();
        const next = at + (event.key === "ArrowDown" ? 1 : -1);
        if (next < 0) this.input.focus();
        else if (next < links.length) links[next].focus();
      });
      if (this.yearSelect) {
        this.yearSelect.addEventListener("change", () => {
          this.filters.year = this.yearSelect.value ? [this.yearSelect.value] : [];
          this.search(true);
        });
      }
      this.more.addEventListener("click", () => this.showMore());
      document.addEventListener("keydown", (event) => {
        const typing = /^(INPUT|TEXTAREA|SELECT)$/.test(document.activeElement.tagName);
        if (event.key === "/" && !typing && !event.ctrlKey && !event.metaKey) {
          event.preventDefault();
          this.input.focus();
        }
      });
      window.addEventListener("popstate", () => {
        this.readUrl();
        this.search();
      });
    }

    readUrl() {
      const params = new URLSearchParams(location.search);
      this.input.value = params.get("q") || "";
      for (const [param, field] of FILTERS) this.filters[field] = params.getAll(param).filter(Boolean);
      if (this.yearSelect) this.yearSelect.value = this.filters.year[0] || "";
    }

    writeUrl(push) {
      const params = new URLSearchParams();
      if (this.input.value.trim()) params.set("q", this.input.value.trim());
      for (const [param, field] of FILTERS) for (const v of this.filters[field]) params.append(param, v);
      const query = params.toString();
      const url = location.pathname + (query ? "?" + query : "");
      if (url !== location.pathname + location.search) {
        history[push ? "pushState" : "replaceState"](null, "", url);
      }
    }

    fillYears(engine) {
      if (!this.yearSelect) return;
      for (const [year, count] of engine.meta.years) {
        this.yearSelect.append(el("option", { value: year }, `${year} (${count})`));
      }
      this.yearSelect.value = this.filters.year[0] || "";
    }

    say(text) {
      this.status.textContent = text;
    }

    async search(push = false) {
      const run = ++this.run;
      const text = this.input.value;
      this.writeUrl(push);
      this.renderActiveFilters();
      if (!text.trim() && !this.hasFilters()) {
        this.list.replaceChildren();
        this.refine.replaceChildren();
        this.more.hidden = true;
        this.say("");
        return;
      }
      let engine, result;
      this.list.setAttribute("aria-busy", "true");
      try {
        engine = await this.engine;
        result = await engine.search(text, this.filters, PAGE);
      } catch (error) {
        if (run !== this.run) return;
        this.list.replaceChildren();
        this.list.removeAttribute("aria-busy");
        this.refine.replaceChildren();
        this.more.hidden = true;
        this.say(error instanceof QueryError ? `Cannot search: ${error.message}.` : "Search failed: " + error.message);
        return;
      }
      if (run !== this.run) return; // a newer query has started
      this.result = result;
      this.shown = 0;
      await this.showMore(run);
      if (run !== this.run) return;
      this.list.removeAttribute("aria-busy");
      // announced once the results are on the page, with what they were asked for
      const narrowed = FILTERS.flatMap(([, field, name]) => this.filters[field].map((v) => `${name}: ${v}`));
      const label = (text.trim() ? ` for “${text.trim()}”` : "") +
        (narrowed.length ? ` (${narrowed.join("; ")})` : "");
      this.say(result.total === 0
        ? `No results${label}.`
        : `${result.total} result${result.total === 1 ? "" : "s"}${label}.`);
    }

    async showMore(run = this.run) {
      const engine = await this.engine;
      const first = this.shown === 0;
      const slice = this.result.ranked.slice(this.shown, this.shown + PAGE);
      const records = await Promise.all(slice.map(([doc]) => engine.record(doc)));
      if (run !== this.run) return;
      if (first) this.list.replaceChildren();
      records.forEach((record, k) => {
        const snippet = engine.snippet(record.x || "", this.result.terms);
        const meta = [el("time", { datetime: record.d || null }, formatDate(record.d))];
        if (record.s) meta.push(" · ", el("span", { class: "search-result-source" }, record.s));
        if (record.a) meta.push(" · ", el("span", { class: "search-result-authors" }, `By ${record.a.join(", ")}`));
        this.list.append(
          el("li", { class: "search-result", "data-doc": String(slice[k][0]) },
            el("article", null,
              el("h2", { class: "search-result-title" }, el("a", { href: this.base + record.u }, record.t)),
              el("p", { class: "search-result-meta" }, ...meta),
              el("p", { class: "search-result-snippet" }, marked(snippet)))));
      });
      this.shown += slice.length;
      this.more.hidden = this.shown >= this.result.total;
      if (first) this.renderRefine(records);
      else this.say(`Showing ${this.shown} of ${this.result.total} results.`);
    }

    renderRefine(records) {
      this.refine.replaceChildren();
      for (const [param, field, , heading] of FILTERS.slice(0, 3)) {
        const counts = new Map();
        for (const r of records) {
          const names = field === "people" ? r.p : field === "topics" ? r.o : r.s ? [r.s] : [];
          for (const name of names || []) counts.set(name, (counts.get(name) || 0) + 1);
        }
        const taken = new Set(this.filters[field].map(nameKey));
        const pairs = [...counts].filter(([n]) => !taken.has(nameKey(n)))
          .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, 8);
        if (!pairs.length) continue;
        const list = el("ul", { class: "search-facet-values" });
        for (const [name, count] of pairs) {
          const button = el("button", { type: "button", class: "search-facet", "data-filter": param },
            name, " ", el("span", { class: "count" }, String(count)));
          button.addEventListener("click", () => {
            this.filters[field].push(name);
            this.search(true);
            this.input.focus();
          });
          list.append(el("li", null, button));
        }
        this.refine.append(el("section", { class: "search-facet-group" },
          el("h3", null, `${heading} in these results`), list));
      }
    }

    renderActiveFilters() {
      this.active.replaceChildren();
      for (const [param, field, label] of FILTERS) {
        for (const value of this.filters[field]) {
          const button = el("button", { type: "button", class: "search-filter-remove", "aria-label": `Remove filter ${label}: ${value}` },
            `${label}: ${value} ×`);
          button.addEventListener("click", () => {
            this.filters[field] = this.filters[field].filter((v) => v !== value);
            if (field === "year" && this.yearSelect) this.yearSelect.value = "";
            this.search(true);
            this.input.focus();
          });
          this.active.append(el("li", { "data-filter": param }, button));
        }
      }
    }
  }

  const api = { Engine, QueryError, stem, fold, nameKey, makeAnalyzer, tokenize, parse, normalize };
  window.SitegenSearch = api;
  const root = document.querySelector("[data-search-page]");
  if (root) window.sitegenSearchPage = new SearchPage(root);
})();
