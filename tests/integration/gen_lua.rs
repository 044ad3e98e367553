//! Random EVAL / EVALSHA steps for the differential test (see [`super::gen`]): scripts from a
//! set of templates, with keys and arguments drawn at random, so that conversions (integers,
//! bulk strings, nulls, status and error tables, RESP3 types after `redis.setresp(3)`), error
//! texts with the script's digest and line, read-only scripts, the script cache and the
//! bundled libraries (`cjson`, `bit`, `cmsgpack`, `struct`) are compared with redis-server
//! byte for byte.

use super::gen::{Compare, Rng, KEYS};

/// Script bodies; `KEYS[1..2]` and `ARGV[1..2]` are always given.
const TEMPLATES: &[&str] = &[
    "return redis.call('GET', KEYS[1])",
    "return redis.call('SET', KEYS[1], ARGV[1])",
    "return redis.call('INCRBY', KEYS[1], ARGV[1])",
    "return redis.pcall('INCRBY', KEYS[1], ARGV[1])",
    "local v = redis.call('GET', KEYS[1])\nif v then return {v, #v} end\nreturn false",
    "return {redis.call('EXISTS', KEYS[1], KEYS[2]), redis.call('DEL', KEYS[2])}",
    "redis.call('MSET', KEYS[1], ARGV[1], KEYS[2], ARGV[2])\nreturn redis.call('MGET', KEYS[1], KEYS[2])",
    "return redis.call('LPUSH', KEYS[1], ARGV[1])",
    "return redis.call('LRANGE', KEYS[1], 0, -1)",
    "return {tonumber(ARGV[1]) or 0, ARGV[2] * 1.5}",
    "return tonumber(ARGV[1])",
    "redis.setresp(3)\nreturn redis.call('ZRANGE', KEYS[1], 0, -1, 'WITHSCORES')",
    "return redis.call('ZADD', KEYS[1], ARGV[1], ARGV[2])",
    "redis.setresp(3)\nreturn {redis.call('ZSCORE', KEYS[1], ARGV[2]), redis.call('GET', KEYS[2])}",
    "redis.setresp(3)\nreturn redis.call('HGET', KEYS[1], ARGV[1])",
    "return redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])",
    "return redis.call('TYPE', KEYS[1])",
    "return {err=ARGV[1]}",
    "return redis.error_reply(ARGV[1])",
    "return redis.status_reply(ARGV[1])",
    "return {1, nil, ARGV[1]}",
    "return {true, false, {ok='x'}, {err='y'}}",
    "redis.setresp(3)\nreturn {true, false, {double=tonumber(ARGV[1]) or 0}}",
    "return x",
    "x = 1",
    "error(ARGV[1])",
    "error({err=ARGV[1]})",
    "local ok, e = pcall(redis.call, 'INCR', KEYS[1])\nreturn {tostring(ok), e}",
    "return redis.call('STRLEN', KEYS[1]) + redis.call('EXISTS', KEYS[2])",
    "return redis.sha1hex(ARGV[1])",
    "return redis.call('GETRANGE', KEYS[1], ARGV[1], ARGV[2])",
    "#!lua flags=no-writes\nreturn redis.call('SET', KEYS[1], ARGV[1])",
    "#!lua flags=no-writes\nreturn redis.call('GET', KEYS[1])",
    "#!lua\nreturn redis.call('APPEND', KEYS[1], ARGV[1])",
    "return redis.call('nosuch', KEYS[1])",
    "return redis.call('GET')",
    "return bit.bxor(tonumber(ARGV[1]) or 0, 255)",
    "return string.format('%s:%d', ARGV[1], #KEYS)",
    "for i = 1, 3 do redis.call('RPUSH', KEYS[1], i) end\nreturn redis.call('LLEN', KEYS[1])",
    "this is not lua",
    "return cjson.encode({KEYS[1], ARGV[1], {n = tonumber(ARGV[2])}})",
    "local t = cjson.decode(ARGV[1])\nreturn type(t) == 'table' and #t or t",
    "return cjson.encode(cjson.decode('[' .. ARGV[1] .. ']'))",
    "return cmsgpack.pack(KEYS[1], tonumber(ARGV[1]) or ARGV[1], {ARGV[2], n = tonumber(ARGV[2])})",
    "return {cmsgpack.unpack(cmsgpack.pack(ARGV[1], tonumber(ARGV[2]), {tonumber(ARGV[1])}))}",
    "return {pcall(cmsgpack.unpack_one, ARGV[1], tonumber(ARGV[2]))}",
    "return struct.pack('>i2c0d', tonumber(ARGV[1]) or 0, ARGV[2], tonumber(ARGV[2]) or -0.0)",
    "return {struct.unpack('!4bc0', struct.pack('!4bc0', #ARGV[1], ARGV[1]))}",
    "return {pcall(struct.unpack, ARGV[1], ARGV[2])}",
];

const ARGS: &[&str] = &[
    "1",
    "-3",
    "2.5",
    "abc",
    "",
    "0",
    "9223372036854775807",
    "1e3",
    "-oops",
    "MYERR bad",
];

fn sha1(body: &str) -> String {
    sha1_smol::Sha1::from(body).digest().to_string()
}

/// One scripting command and how its reply is compared.
pub fn step(rng: &mut Rng) -> (Vec<Vec<u8>>, Compare) {
    let body = *rng.pick(TEMPLATES);
    let keys = [rng.pick(KEYS).to_vec(), rng.pick(KEYS).to_vec()];
    let argv = [
        rng.pick(ARGS).as_bytes().to_vec(),
        rng.pick(ARGS).as_bytes().to_vec(),
    ];
    let (name, script): (&str, Vec<u8>) = match rng.below(20) {
        0..=3 => ("EVALSHA", sha1(body).into_bytes()),
        4 => ("EVAL_RO", body.as_bytes().to_vec()),
        5 => ("EVALSHA_RO", sha1(body).into_bytes()),
        6 => {
            let args = match rng.below(4) {
                0 => vec!["SCRIPT".into(), "LOAD".into(), body.as_bytes().to_vec()],
                1 => vec![
                    "SCRIPT".into(),
                    "EXISTS".into(),
                    sha1(body).into_bytes(),
                    b"00".to_vec(),
                ],
                2 => vec!["SCRIPT".into(), "FLUSH".into()],
                _ => vec![
                    "EVAL".into(),
                    body.as_bytes().to_vec(),
                    rng.pick(&["-1", "3", "x"]).as_bytes().to_vec(),
                ],
            };
            return (args, Compare::Exact);
        }
        _ => ("EVAL", body.as_bytes().to_vec()),
    };
    let mut args = vec![name.as_bytes().to_vec(), script, b"2".to_vec()];
    args.extend(keys);
    args.extend(argv);
    (args, Compare::Exact)
}
