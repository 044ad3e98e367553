//! Lua scripting against the real binary: replies compared with redis-server byte for byte
//! (conversions both ways, errors with digest and line, the sandbox, the script cache,
//! read-only scripts, EVAL inside MULTI) in RESP2 and RESP3 over two data cores; the cache
//! shared by every core; atomicity of scripts across cores; BUSY and SCRIPT KILL; the
//! cluster-mode key rules.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread;
use std::time::{Duration, Instant};

use solikv::topology::key_slot;

use super::harness::{Pair, Server};
use super::resp::{encode, escape, Conn};

const DEADLINE: Duration = Duration::from_secs(20);

/// Script lines checked against the oracle, each `EVAL <body> <numkeys> ...` or another
/// command; bodies are single-quoted words (see `harness::words`), so they use double quotes.
const CASES: &[&[&str]] = &[
    &["EVAL", "return 1", "0"],
    &["EVAL", "return os", "0"],
    &["EVAL", "return io", "0"],
    &["EVAL", "return type(loadstring)", "0"],
    &["EVAL", "return type(bit)", "0"],
    &["EVAL", "return _VERSION", "0"],
    &["EVAL", "x = 1", "0"],
    &["EVAL", "return x", "0"],
    &["EVAL", "string.x = 1 return 1", "0"],
    &["EVAL", "redis.call = 1 return 1", "0"],
    &["EVAL", "_G.x = 1 return 1", "0"],
    &["EVAL", "rawset(_G,'x',1) return 1", "0"],
    &["EVAL", "rawset(1, 2, 3)", "0"],
    &["EVAL", "rawset({}, 2)", "0"],
    &["EVAL", "rawset({})", "0"],
    &["EVAL", "rawset()", "0"],
    &["EVAL", "local t = {} rawset(t, 'a', 1) return t.a", "0"],
    &["EVAL", "rawset({}, nil, 1)", "0"],
    &["EVAL", "setmetatable(_G, nil)", "0"],
    &["EVAL", "setmetatable(redis, {})", "0"],
    &["EVAL", "setmetatable(string, nil)", "0"],
    &["EVAL", "return {pcall(setmetatable, cjson, {})}", "0"],
    &["EVAL", "setmetatable(1, {})", "0"],
    &["EVAL", "setmetatable({}, 1)", "0"],
    &["EVAL", "setmetatable({})", "0"],
    &["EVAL", "setmetatable()", "0"],
    &["EVAL", "local t = setmetatable({}, {__metatable = 1}) setmetatable(t, {})", "0"],
    &["EVAL", "local t = setmetatable({}, {__index = function() return 7 end}) return t.x", "0"],
    &["EVAL", "local t = setmetatable({}, {}) return setmetatable(t, nil) == t", "0"],
    &["EVAL", "return type(print)", "0"],
    &["EVAL", "return type(setfenv)", "0"],
    &["EVAL", "return redis.call('nosuch')", "0"],
    &["EVAL", "return redis.call('set')", "0"],
    &["EVAL", "return redis.pcall('nosuch')", "0"],
    &["EVAL", "return redis.call()", "0"],
    &["EVAL", "return redis.pcall()", "0"],
    &["EVAL", "return redis.call({})", "0"],
    &["EVAL", "return redis.call('set','a',true)", "0"],
    &["EVAL", "return redis.call('set','a',1.5)", "0"],
    &["EVAL", "return redis.call('get','a')", "0"],
    &["EVAL", "return redis.call('eval','return 1','0')", "0"],
    &["EVAL", "return redis.call('multi')", "0"],
    &["EVAL", "error('boom')", "0"],
    &["EVAL", "error('a\\nb')", "0"],
    &["EVAL", "error({err='my err'})", "0"],
    &["EVAL", "local t = nil; return t.x", "0"],
    &["EVAL", "syntax error here", "0"],
    &["EVAL", "return redis.error_reply('oops')", "0"],
    &["EVAL", "return redis.error_reply('-oops')", "0"],
    &["EVAL", "return redis.error_reply('MYERR foo')", "0"],
    &["EVAL", "return redis.error_reply()", "0"],
    &["EVAL", "return redis.status_reply('st')", "0"],
    &["EVAL", "return {err='x'}", "0"],
    &["EVAL", "return {ok='fine'}", "0"],
    &["EVAL", "return {err=1}", "0"],
    &["EVAL", "return 3.99", "0"],
    &["EVAL", "return -3.99", "0"],
    &["EVAL", "return 0/0", "0"],
    &["EVAL", "return 2^63", "0"],
    &["EVAL", "return 12345678901234567", "0"],
    &["EVAL", "return {1,2,nil,4}", "0"],
    &["EVAL", "return {1,{2,{3,'a'}},true,false}", "0"],
    &["EVAL", "return true", "0"],
    &["EVAL", "return false", "0"],
    &["EVAL", "return nil", "0"],
    &["EVAL", "return {1, {err='inner'}, {ok='ok'}}", "0"],
    &["EVAL", "return {double=0.1}", "0"],
    &["EVAL", "return {double=1/0}", "0"],
    &["EVAL", "return {map={a={1,2}}}", "0"],
    &["EVAL", "return {set={1,2}}", "0"],
    &["EVAL", "return {big_number='123'}", "0"],
    &["EVAL", "return {verbatim_string={format='txt', string='hi'}}", "0"],
    &["EVAL", "return redis.sha1hex('')", "0"],
    &["EVAL", "return redis.sha1hex()", "0"],
    &["EVAL", "return redis.log()", "0"],
    &["EVAL", "return redis.log(99, 'x')", "0"],
    &["EVAL", "return redis.log(redis.LOG_WARNING, 'from a test')", "0"],
    &["EVAL", "return redis.setresp(4)", "0"],
    &["EVAL", "return redis.setresp()", "0"],
    &["EVAL", "redis.setresp(3) return true", "0"],
    &["EVAL", "redis.setresp(3) return false", "0"],
    &["EVAL", "redis.setresp(3) redis.call('hset','h','a','1') return redis.call('hgetall','h')", "0"],
    &["EVAL", "redis.setresp(3) redis.call('zadd','z',1.5,'a') return redis.call('zscore','z','a')", "0"],
    &["EVAL", "redis.setresp(3) return redis.call('zrange','z',0,-1,'withscores')", "0"],
    &["EVAL", "redis.setresp(3) return {redis.call('get','nokey'), 1}", "0"],
    &["EVAL", "redis.setresp(3) redis.call('sadd','st','a') return redis.call('smembers','st')", "0"],
    &["EVAL", "return redis.call('get','nokey')", "0"],
    &["EVAL", "redis.call('set','s','x') return redis.call('incr','s')", "0"],
    &["EVAL", "return redis.pcall('incr','s')", "0"],
    &["EVAL", "return redis.call('lpush','s',1)", "0"],
    &["EVAL", "local ok, e = pcall(function() redis.call('nosuch') end) return {tostring(ok), e}", "0"],
    &["EVAL", "local ok, e = pcall(redis.call, 'incr', 's') return e", "0"],
    &["EVAL", "local ok, e = pcall(function() error({err='x'}) end) return e", "0"],
    &["EVAL", "local ok, e = xpcall(function() redis.call('nosuch') end, function(e) return type(e) end) return e", "0"],
    &["EVAL", "return cjson.encode({1,2,3})", "0"],
    &["EVAL", "return cjson.encode({a=1,b='x/y',c={true,false}})", "0"],
    &["EVAL", "return cjson.encode({})", "0"],
    &["EVAL", "return cjson.encode({[1]=1,[3]=3})", "0"],
    &["EVAL", "return cjson.encode({[1]=1,[30]=3})", "0"],
    &["EVAL", "return cjson.encode(1/0)", "0"],
    &["EVAL", "return cjson.encode(0.1)", "0"],
    &["EVAL", "return cjson.encode(1e20)", "0"],
    &["EVAL", "return cjson.encode('a\"b\\\\c\\n\\1')", "0"],
    &["EVAL", "return cjson.encode(cjson.null)", "0"],
    &["EVAL", "return cjson.encode(function() end)", "0"],
    &["EVAL", "return cjson.encode({[true]=1})", "0"],
    &["EVAL", "return cjson.encode({[1.5]=1})", "0"],
    &["EVAL", "return cjson.encode()", "0"],
    &["EVAL", "local t = cjson.decode('{\"a\":[1,2,{\"b\":null}],\"c\":\"x\\\\u00e9\"}') return {t.a[1], t.a[2], type(t.a[3].b), t.c}", "0"],
    &["EVAL", "return cjson.decode('[1,2')", "0"],
    &["EVAL", "return cjson.decode('{1:2}')", "0"],
    &["EVAL", "return cjson.decode('x')", "0"],
    &["EVAL", "return cjson.decode('[1] x')", "0"],
    &["EVAL", "return cjson.decode('')", "0"],
    &["EVAL", "return cjson.decode('{\"a\" 1}')", "0"],
    &["EVAL", "return cjson.decode('[1 2]')", "0"],
    &["EVAL", "return cjson.decode('3.5')", "0"],
    &["EVAL", "return pcall(cjson.decode, 'x')", "0"],
    &["EVAL", "local ok, e = pcall(cjson.decode, 'x') return e", "0"],
    &["EVAL", "return cjson.decode('\"\\\\q\"')", "0"],
    &["EVAL", "return cjson.encode(cjson.decode('[1,null,3]'))", "0"],
    &["EVAL", "return type(cjson.null)", "0"],
    &["EVAL", "return cjson.decode('-')", "0"],
    &["EVAL", "return bit.band(7,3)", "0"],
    &["EVAL", "return {bit.tohex(255), bit.tohex(-1, -4), bit.lshift(1, 33), bit.bnot(0)}", "0"],
    &["EVAL", "return {KEYS[1],ARGV[1],#KEYS,#ARGV}", "1", "k", "a", "b"],
    &["EVAL", "return redis.call('set', KEYS[1], ARGV[1])", "1", "k", "v"],
    &["EVAL", "redis.call('mset','a','1','b','2','c','3','d','4') return redis.call('mget','a','b','c','d','e')", "0"],
    &["EVAL", "return redis.call('del','a','b','c','d')", "0"],
    &["EVAL", "return redis.call('dbsize')", "0"],
    &["EVAL", "return redis.call('ping')", "0"],
    &["EVAL", "return redis.call('publish', 'ch', 'm')", "0"],
    &["EVAL", "return 1", "-1"],
    &["EVAL", "return 1", "x"],
    &["EVAL", "return 1", "2", "a"],
    &["EVAL"],
    &["EVAL_RO", "return redis.call('set','a','1')", "0"],
    &["EVAL_RO", "return redis.pcall('set','a','1')", "0"],
    &["EVAL_RO", "return redis.call('get','a')", "0"],
    &["EVAL", "#!lua flags=no-writes\nreturn redis.call('set','a','1')", "0"],
    &["EVAL", "#!lua\nreturn redis.call('set','a','1')", "0"],
    &["EVAL_RO", "#!lua\nreturn 1", "0"],
    &["EVAL", "#!lua flags=bogus\nreturn 1", "0"],
    &["EVAL", "#!lua name=x\nreturn 1", "0"],
    &["EVAL", "#!luax\nreturn 1", "0"],
    &["EVAL", "return redis.acl_check_cmd('get', 'k')", "0"],
    &["EVAL", "return redis.acl_check_cmd('SET')", "0"],
    &["EVAL", "return redis.acl_check_cmd('client', 'list')", "0"],
    &["EVAL", "return redis.acl_check_cmd('client')", "0"],
    &["EVAL", "return redis.acl_check_cmd('client', 'bogus')", "0"],
    &["EVAL", "return redis.acl_check_cmd('nosuch')", "0"],
    &["EVAL", "return redis.acl_check_cmd()", "0"],
    &["EVAL", "return redis.acl_check_cmd('get', {})", "0"],
    &["EVAL", "return redis.acl_check_cmd(12)", "0"],
    &["EVAL", "return {pcall(redis.acl_check_cmd, 'nosuch')}", "0"],
    &["EVAL", "#!lua", "0"],
    &["EVAL", "#!", "0"],
    &["EVAL", "#!lua\r\nreturn 1", "0"],
    &["EVAL", "#!lua\tflags=no-writes\nreturn 2", "0"],
    &["EVAL", "#!lua flags=no-writes,\nreturn 1", "0"],
    &["EVAL", "#!lua flags=\nreturn 3", "0"],
    &["EVAL", "#!\"lua\nreturn 1", "0"],
    &["EVAL", "#!lua 'flags=no-writes'\nreturn 4", "0"],
    &["EVAL", "#!lua \"x\\ry\"\nreturn 1", "0"],
    &["EVAL", "#!lua \"x\\r\"\nreturn 1", "0"],
    &["EVALSHA", "0000000000000000000000000000000000000000", "0"],
    &["EVALSHA", "abc", "0"],
    &["SCRIPT", "LOAD", "return 'x'"],
    &["EVALSHA", "573cd020e2fc941d149285df8b681959190edd09", "0"],
    &["EVALSHA", "573CD020E2FC941D149285DF8B681959190EDD09", "0"],
    &["EVALSHA_RO", "573cd020e2fc941d149285df8b681959190edd09", "0"],
    &["SCRIPT", "EXISTS", "573cd020e2fc941d149285df8b681959190edd09", "ffff"],
    &["SCRIPT", "LOAD", "return +"],
    &["SCRIPT", "FLUSH", "bogus"],
    &["SCRIPT", "FLUSH", "ASYNC"],
    &["SCRIPT", "EXISTS", "573cd020e2fc941d149285df8b681959190edd09"],
    &["EVALSHA", "573cd020e2fc941d149285df8b681959190edd09", "0"],
    &["SCRIPT", "KILL"],
    &["SCRIPT", "DEBUG", "no"],
    &["SCRIPT", "DEBUG", "maybe"],
    &["SCRIPT", "HELP"],
    &["SCRIPT", "BOGUS"],
    &["SCRIPT"],
    &["SCRIPT", "LOAD"],
    &["MULTI"],
    &["EVAL", "return redis.call('set', KEYS[1], 'in-multi')", "1", "m"],
    &["SET", "m2", "1"],
    &["EVAL", "return {redis.call('get', KEYS[1]), redis.call('incr', KEYS[2])}", "2", "m", "m2"],
    &["EVAL", "return redis.call('incr', 'm')", "0"],
    &["EXEC"],
    // SCAN from a script (cursors and order are SoliKV's own, so only the totals are compared):
    // the "delete by pattern" idiom.
    &["EVAL", "for i = 1, 40 do redis.call('SET', 'sk:' .. i, i) end return redis.call('DBSIZE') > 0", "0"],
    &["EVAL", "local c, n = '0', 0 repeat local r = redis.call('SCAN', c, 'MATCH', 'sk:*', 'COUNT', 7) c = r[1] for _, k in ipairs(r[2]) do n = n + redis.call('DEL', k) end until c == '0' return n", "0"],
    &["EVAL", "return redis.call('SCAN', 'x')", "0"],
    &["EVAL", "return redis.call('INFO', 'keyspace')", "0"],
    &["EVAL", "return string.sub(redis.call('INFO', 'server'), 1, 8)", "0"],
    // math.random draws from redis-server's generator: the same numbers from server start,
    // after math.randomseed, and Lua's own argument errors.
    &["EVAL", "return {math.random(1,1000000), math.random(7), tostring(math.random())}", "0"],
    &["EVAL", "math.randomseed(42); return {math.random(1,1000000), tostring(math.random())}", "0"],
    &["EVAL", "return {math.random(-5,5), math.random('3'), math.random(2.9)}", "0"],
    &["EVAL", "return math.random(5,1)", "0"],
    &["EVAL", "return math.random('x')", "0"],
    &["EVAL", "return math.random(1,2,3)", "0"],
    &["EVAL", "math.randomseed()", "0"],
    // Read-only scripts refuse the commands redis-server flags may_replicate, as writes.
    &["EVAL_RO", "return redis.call('publish','ch','m')", "0"],
    &["EVAL_RO", "return redis.pcall('spublish','ch','m')", "0"],
    &["EVAL", "#!lua flags=no-writes\nreturn redis.pcall('publish','ch','m')", "0"],
    &["PFADD", "roh", "a"],
    &["EVAL_RO", "return redis.call('pfcount',KEYS[1])", "1", "roh"],
    &["EVAL", "return redis.call('pfcount',KEYS[1])", "1", "roh"],
    // CLUSTER without cluster support, from a script.
    &["EVAL", "return redis.call('cluster','keyslot','foo')", "0"],
    &["EVAL", "return redis.pcall('cluster','countkeysinslot','1')", "0"],
    // Numbers passed to redis.call are written with `%.17g`, not Lua's `%.14g`.
    &["EVAL", "redis.call('set',KEYS[1],0.1) return redis.call('get',KEYS[1])", "1", "num"],
    &["EVAL", "redis.call('set',KEYS[1],2^53) return redis.call('get',KEYS[1])", "1", "num"],
    &["EVAL", "return redis.call('incrby',KEYS[1],123456789012345)", "1", "numc"],
    &["EVAL", "return redis.call('rpush',KEYS[1],3.14159265358979,1/3,-0.0,1e300,2^63,-2^70,1e-7)", "1", "numl"],
    &["LRANGE", "numl", "0", "-1"],
    &["EVAL", "return redis.call('zadd',KEYS[1],1/3,1/3)", "1", "numz"],
    &["ZRANGE", "numz", "0", "-1", "WITHSCORES"],
    // SCRIPT's subcommands come in hash-table order; `cmd::meta` checks them one by one.
    &["COMMAND", "INFO", "eval", "evalsha_ro", "eval_ro", "evalsha"],
];

fn check_cases(proto: &str) {
    let pair = Pair::start(&["--cores", "2", "--shards", "2"]);
    let mut conns = pair.conns();
    // HELLO's reply holds the client id, which differs.
    conns.both(&[b"HELLO", proto.as_bytes()]);
    for case in CASES {
        conns.check_str(case);
    }
}

#[test]
fn scripts_match_redis_resp2() {
    check_cases("2");
}

#[test]
fn scripts_match_redis_resp3() {
    check_cases("3");
}

/// Client bytes quoted in error texts stay as sent (a Lua syntax error's `near '...'`,
/// HELLO's option), even when they are not UTF-8.
#[test]
fn non_utf8_bytes_in_errors_are_kept() {
    let pair = Pair::start(&[]);
    let mut c = pair.conns();
    c.check(&[b"EVAL", b"retur\xff", b"0"]);
    c.check(&[b"EVAL", b"return '\xe9", b"0"]);
    c.check(&[b"SCRIPT", b"LOAD", b"x = = \xfe\xff"]);
    c.check(&[b"HELLO", b"3", b"A\xe9\xff"]);
}

/// RANDOMKEY runs inside scripts and transactions over every core's keys (one key, so the
/// draw is the same on both servers).
#[test]
fn randomkey_in_scripts_and_transactions() {
    let pair = Pair::start(&["--cores", "2", "--shards", "2"]);
    let mut c = pair.conns();
    for line in [
        "EVAL 'return redis.call(\"randomkey\")' 0",
        "SET only 1",
        "EVAL 'return redis.call(\"randomkey\")' 0",
        "MULTI",
        "RANDOMKEY",
        "EXEC",
        "DEL only",
        "EVAL 'return redis.pcall(\"randomkey\")' 0",
    ] {
        c.check_all(&[line]);
    }
}

/// Connections land on both data cores; a script loaded on one serves EVALSHA on all.
#[test]
fn script_cache_is_shared_by_every_core() {
    let server = Server::start(&["--cores", "2", "--shards", "2"]);
    let mut loader = server.conn();
    let sha = loader.call(&[b"SCRIPT", b"LOAD", b"return ARGV[1] .. '!'"]);
    assert!(sha.starts_with(b"$40\r\n"), "{}", escape(&sha));
    let sha = sha[5..45].to_vec();
    let mut conns: Vec<Conn> = (0..8).map(|_| server.conn()).collect();
    for c in &mut conns {
        assert_eq!(c.call(&[b"EVALSHA", &sha, b"0", b"hi"]), b"$3\r\nhi!\r\n");
        assert_eq!(c.call(&[b"SCRIPT", b"EXISTS", &sha]), b"*1\r\n:1\r\n");
    }
    assert_eq!(loader.call(&[b"SCRIPT", b"FLUSH"]), b"+OK\r\n");
    for c in &mut conns {
        assert_eq!(
            c.call(&[b"EVALSHA", &sha, b"0", b"hi"]),
            b"-NOSCRIPT No matching script. Please use EVAL.\r\n"
        );
    }
}

/// Two keys owned by different cores of a 2-core server.
fn keys_on_two_cores() -> (String, String) {
    let first = "lua:a".to_string();
    let core = |k: &str| key_slot(k.as_bytes()).index() % 2;
    let second = (0..)
        .map(|i| format!("lua:b{i}"))
        .find(|k| core(k) != core(&first))
        .expect("some key lands on the other core");
    (first, second)
}

/// Writers set two keys on different cores in one script; readers (scripts and cross-core
/// LCS) must always see both values equal.
#[test]
fn scripts_are_atomic_across_cores() {
    let server = Server::start(&["--cores", "2", "--shards", "2"]);
    let (a, b) = keys_on_two_cores();
    let write = "redis.call('SET', KEYS[1], ARGV[1]) redis.call('SET', KEYS[2], ARGV[1]) return 1";
    let read = "return {redis.call('GET', KEYS[1]), redis.call('GET', KEYS[2])}";
    server
        .conn()
        .call(&[b"MSET", a.as_bytes(), b"000000", b"00000", b"x"]);
    server.conn().call(&[
        b"EVAL",
        write.as_bytes(),
        b"2",
        a.as_bytes(),
        b.as_bytes(),
        b"000000",
    ]);
    let done = Arc::new(AtomicBool::new(false));
    let writers: Vec<_> = (0..2)
        .map(|w| {
            let (port, a, b) = (server.port, a.clone(), b.clone());
            thread::spawn(move || {
                let mut c = Conn::connect(port);
                for i in 0..300 {
                    let v = format!("{w}{i:05}");
                    let r = c.call(&[
                        b"EVAL",
                        write.as_bytes(),
                        b"2",
                        a.as_bytes(),
                        b.as_bytes(),
                        v.as_bytes(),
                    ]);
                    assert_eq!(r, b":1\r\n");
                }
            })
        })
        .collect();
    let readers: Vec<_> = (0..2)
        .map(|_| {
            let (port, a, b, done) = (server.port, a.clone(), b.clone(), done.clone());
            thread::spawn(move || {
                let mut c = Conn::connect(port);
                let mut reads = 0;
                while !done.load(Ordering::Relaxed) {
                    let r = c.call(&[
                        b"EVAL_RO",
                        read.as_bytes(),
                        b"2",
                        a.as_bytes(),
                        b.as_bytes(),
                    ]);
                    let text = escape(&r);
                    let parts: Vec<&str> = text.split("\\r\\n").collect();
                    assert_eq!(parts.len(), 6, "reply {text}");
                    assert_eq!(parts[2], parts[4], "a script saw half of another: {text}");
                    let lcs = c.call(&[b"LCS", a.as_bytes(), b.as_bytes(), b"LEN"]);
                    assert_eq!(lcs, b":6\r\n", "LCS saw half a script");
                    reads += 1;
                }
                reads
            })
        })
        .collect();
    for w in writers {
        w.join().expect("writer");
    }
    done.store(true, Ordering::Relaxed);
    for r in readers {
        assert!(r.join().expect("reader") > 0);
    }
}

/// Sends `args` and waits up to `timeout` for the reply.
fn call_within(c: &mut Conn, args: &[&[u8]], timeout: Duration) -> Result<Vec<u8>, String> {
    c.send(&encode(args));
    c.try_read_reply(timeout)
}

fn busy_and_kill(cores: &str) {
    let server = Server::start(&["--cores", cores, "--busy-reply-threshold", "100"]);
    let mut runner = server.conn();
    let mut other = server.conn();
    assert_eq!(
        other.call(&[b"SCRIPT", b"KILL"]),
        b"-NOTBUSY No scripts in execution right now.\r\n"
    );
    runner.send(&encode(&[
        b"EVAL",
        b"local i = 0 while true do i = i + 1 end",
        b"0",
    ]));
    let busy = b"-BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.\r\n";
    let deadline = Instant::now() + DEADLINE;
    loop {
        // The first commands may wait for the script, then BUSY comes after the threshold.
        let r = call_within(&mut other, &[b"GET", b"k"], DEADLINE).expect("reply");
        if r == busy {
            break;
        }
        assert!(Instant::now() < deadline, "never BUSY: {}", escape(&r));
    }
    assert_eq!(other.call(&[b"PING"]), busy.to_vec());
    assert_eq!(other.call(&[b"SCRIPT", b"KILL"]), b"+OK\r\n");
    let killed = runner
        .try_read_reply(DEADLINE)
        .expect("killed script answers");
    assert!(
        escape(&killed).starts_with("-ERR Script killed by user with SCRIPT KILL... script: "),
        "{}",
        escape(&killed)
    );
    assert_eq!(other.call(&[b"PING"]), b"+PONG\r\n");

    // A script that wrote cannot be killed; it ends on its own.
    let body =
        b"redis.call('SET', 'w', '1') local t = redis.call('TIME') local s = tonumber(t[1]) \
        while tonumber(redis.call('TIME')[1]) < s + 2 do end return 'done'";
    runner.send(&encode(&[b"EVAL", body, b"0"]));
    loop {
        let r = call_within(&mut other, &[b"SCRIPT", b"KILL"], DEADLINE).expect("reply");
        if r.starts_with(b"-UNKILLABLE") {
            assert_eq!(escape(&r), escape(b"-UNKILLABLE Sorry the script already executed write commands against the dataset. You can either wait the script termination or kill the server in a hard way using the SHUTDOWN NOSAVE command.\r\n"));
            break;
        }
        assert!(
            Instant::now() < deadline,
            "never UNKILLABLE: {}",
            escape(&r)
        );
        thread::sleep(Duration::from_millis(20));
    }
    assert_eq!(
        runner.try_read_reply(DEADLINE).expect("done"),
        b"$4\r\ndone\r\n"
    );
}

#[test]
fn busy_script_and_script_kill_one_core() {
    busy_and_kill("1");
}

#[test]
fn busy_script_and_script_kill_two_cores() {
    busy_and_kill("2");
}

/// Commands that wait for a running script's gates (a script, SCRIPT LOAD, cross-core
/// MSET and LCS, keyed commands) are answered `-BUSY` once it passes busy-reply-threshold, as
/// redis-server answers them, rather than waiting for a script that may never end.
fn waiting_commands_get_busy(cores: &str) {
    let server = Server::start(&["--cores", cores, "--busy-reply-threshold", "700"]);
    let mut runner = server.conn();
    runner.send(&encode(&[
        b"EVAL",
        b"local i = 0 while true do i = i + 1 end",
        b"0",
    ]));
    thread::sleep(Duration::from_millis(200));
    let (a, b) = keys_on_two_cores();
    let waiting: Vec<Vec<&[u8]>> = vec![
        vec![b"EVAL", b"return 1", b"0"],
        vec![b"SCRIPT", b"LOAD", b"return 2"],
        vec![b"MSET", a.as_bytes(), b"x", b.as_bytes(), b"y"],
        vec![b"LCS", a.as_bytes(), b.as_bytes()],
        vec![b"GET", a.as_bytes()],
        vec![b"GET", b.as_bytes()],
    ];
    let mut conns: Vec<_> = waiting.iter().map(|_| server.conn()).collect();
    for (conn, cmd) in conns.iter_mut().zip(&waiting) {
        conn.send(&encode(cmd));
    }
    let busy = b"-BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.\r\n";
    for (conn, cmd) in conns.iter_mut().zip(&waiting) {
        let name = String::from_utf8_lossy(cmd[0]);
        let reply = conn
            .try_read_reply(DEADLINE)
            .unwrap_or_else(|_| panic!("{name}: no reply while busy"));
        assert_eq!(escape(&reply), escape(busy), "{name}");
    }
    let mut other = server.conn();
    assert_eq!(other.call(&[b"SCRIPT", b"KILL"]), b"+OK\r\n");
    let killed = runner.try_read_reply(DEADLINE).expect("killed");
    assert!(
        escape(&killed).starts_with("-ERR Script killed"),
        "{}",
        escape(&killed)
    );
    // Nothing the refused commands asked for happened, and the gates are free again.
    assert_eq!(other.call(&[b"DBSIZE"]), b":0\r\n");
    assert_eq!(
        other.call(&[b"MSET", a.as_bytes(), b"x", b.as_bytes(), b"y"]),
        b"+OK\r\n"
    );
    assert_eq!(other.call(&[b"EVAL", b"return 1", b"0"]), b":1\r\n");
    assert_eq!(
        other.call(&[b"LCS", a.as_bytes(), b.as_bytes()]),
        b"$0\r\n\r\n"
    );
}

#[test]
fn waiting_commands_get_busy_one_core() {
    waiting_commands_get_busy("1");
}

#[test]
fn waiting_commands_get_busy_two_cores() {
    waiting_commands_get_busy("2");
}

/// A single cluster node serving slots 0..=8000 only, for the subject and the oracle.
fn cluster_pair() -> Pair {
    let bus = (super::cluster::cluster_port() + 10000).to_string();
    let subject = Server::start(&[
        "--cores",
        "2",
        "--cluster-enabled",
        "yes",
        "--cluster-port",
        &bus,
    ]);
    let bus = (super::cluster::cluster_port() + 10000).to_string();
    let oracle = Server::oracle_with(&["--cluster-enabled", "yes", "--cluster-port", &bus]);
    for server in [&subject, &oracle] {
        let mut c = server.conn();
        c.call(&[b"CONFIG", b"SET", b"cluster-require-full-coverage", b"no"]);
        assert_eq!(
            c.call(&[b"CLUSTER", b"ADDSLOTSRANGE", b"0", b"8000"]),
            b"+OK\r\n"
        );
        let deadline = Instant::now() + DEADLINE;
        while !String::from_utf8_lossy(&c.call(&[b"CLUSTER", b"INFO"])).contains("cluster_state:ok")
        {
            assert!(
                Instant::now() < deadline,
                "{} never reached cluster_state:ok",
                server.name
            );
            thread::sleep(Duration::from_millis(50));
        }
    }
    Pair { subject, oracle }
}

/// Cluster mode: declared keys are routed (CROSSSLOT, unserved slots), undeclared keys must
/// be served here and share the script's slot; `no-cluster` scripts are refused.
#[test]
fn cluster_mode_key_rules_match_redis() {
    let pair = cluster_pair();
    let mut conns = pair.conns();
    // b: slot 3300 (served), a: 15495 and c: 7365 (served), zzzz: 3416.
    let set = "return redis.call('SET', KEYS[1], 'v')";
    let cases: &[&[&str]] = &[
        &["EVAL", set, "1", "b"],
        &["EVAL", set, "1", "a"],
        &["EVAL", set, "2", "b", "c"],
        &["EVAL", set, "2", "b", "{b}x"],
        &["EVAL", "return redis.call('SET', 'b', '1')", "0"],
        &["EVAL", "return redis.call('SET', 'a', '1')", "0"],
        &["EVAL", "redis.call('SET', 'b', '1') return redis.call('SET', '{b}y', '1')", "0"],
        &["EVAL", "redis.call('SET', 'b', '1') return redis.call('SET', 'c', '1')", "0"],
        &["EVAL", "return redis.call('SET', 'c', '1')", "1", "b"],
        &["EVAL", "return redis.pcall('SET', 'c', '1')", "1", "b"],
        &["EVAL", "#!lua flags=allow-cross-slot-keys\nredis.call('SET', 'b', '1') return redis.call('SET', 'c', '1')", "0"],
        &["EVAL", "#!lua\nredis.call('SET', 'b', '1') return redis.call('SET', 'c', '1')", "0"],
        &["EVAL", "#!lua\nreturn redis.call('SET', 'c', '1')", "1", "b"],
        &["EVAL", "return redis.call('MSET', 'b', '1', 'c', '2')", "0"],
        &["EVAL", "#!lua flags=no-cluster\nreturn 1", "0"],
        &["EVAL", "return redis.call('GET', KEYS[1])", "1", "zzzz"],
        &["EVAL_RO", "return redis.call('GET', 'b')", "0"],
        &["EVAL", "return redis.call('cluster', 'keyslot', 'foo')", "0"],
        &["EVAL", "return redis.pcall('CLUSTER', 'KEYSLOT', '{b}x')", "0"],
    ];
    for proto in ["2", "3"] {
        conns.both(&[b"HELLO", proto.as_bytes()]);
        for case in cases {
            conns.check_str(case);
        }
    }
}

/// A script's writes wake a client blocked on the key, once the script has finished (the
/// client gets what is left after the whole script, as in redis-server).
#[test]
fn script_writes_wake_blocked_clients() {
    let server = Server::start(&["--cores", "2", "--shards", "2"]);
    let mut blocked = server.conn();
    blocked.send(&encode(&[b"BLPOP", b"lua:q", b"10"]));
    let mut c = server.conn();
    let deadline = Instant::now() + DEADLINE;
    while !String::from_utf8_lossy(&c.call(&[b"INFO", b"clients"])).contains("blocked_clients:1") {
        assert!(Instant::now() < deadline, "the client never blocked");
        thread::sleep(Duration::from_millis(10));
    }
    let body = b"redis.call('RPUSH', KEYS[1], 'a', 'b') return redis.call('LPOP', KEYS[1])";
    assert_eq!(c.call(&[b"EVAL", body, b"1", b"lua:q"]), b"$1\r\na\r\n");
    assert_eq!(
        blocked.try_read_reply(DEADLINE).expect("woken"),
        b"*2\r\n$5\r\nlua:q\r\n$1\r\nb\r\n"
    );
}
