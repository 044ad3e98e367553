//! The `cmsgpack` and `struct` Lua libraries against the real binary, compared with
//! redis-server byte for byte (packed bytes come back as bulk strings): every MessagePack
//! type and size class both ways, integer and float boundaries, -0, NaN and infinities,
//! empty and nested tables, the nesting limit and cycles, unpack_one/unpack_limit offsets,
//! every struct format option with alignment and endianness, the stack limits of both C
//! libraries (and of the base library's `unpack` under `pcall`), and their error texts. Seeded random values, byte strings and formats then
//! compare packing, round trips and decoding of arbitrary (truncated, malformed) input.

use super::gen::Rng;
use super::harness::{DiffConn, Pair};

/// Prepended to every body: `hex(s)` shows bytes where the bulk string would be long.
const HEX: &str = "local function hex(s) return (string.gsub(s, '.', function(c) \
    return string.format('%02x', string.byte(c)) end)) end ";

/// Bodies run as `EVAL <HEX body> 0` on both servers.
const CMSGPACK: &[&str] = &[
    r"return hex(cmsgpack.pack(0, 127, 128, 255, 256, 65535, 65536, 4294967295, 4294967296))",
    r"return hex(cmsgpack.pack(-1, -32, -33, -128, -129, -32768, -32769, -2147483648, -2147483649))",
    r"return hex(cmsgpack.pack(-0.0, 0/0, 1/0, -1/0, 0.5, 0.1, 2^63, -2^63, 2^64, 1e300))",
    r"local x = 0 return hex(cmsgpack.pack(1/x, -1/x, 0/x, -(0/x)))",
    r"return hex(cmsgpack.pack(true, false, nil, redis.call, {}, {1,2}, {a=1}, {[1]=1,[3]=3}, {[0]=1}, {[1.5]=1}))",
    r"return hex(cmsgpack.pack({1,nil,3}))",
    r"return hex(cmsgpack.pack(string.rep('a',31), string.rep('b',32)))",
    r"return cmsgpack.pack(string.rep('a',255), string.rep('a',256), string.rep('a',65535), string.rep('a',65536))",
    r"local t = {} for i=1,16 do t[i]=i end local m = {} for i=1,16 do m['k'..i]=i end return {cmsgpack.pack(t), cmsgpack.pack(m)}",
    r"local t = {} for i=1,70000 do t[i]=i end local m = {} for i=1,70000 do m['k'..i]=i end return {cmsgpack.pack(t), cmsgpack.pack(m)}",
    r"local t = {} local c = t for i=1,20 do c[1] = {} c = c[1] end return hex(cmsgpack.pack(t))",
    r"local t = {} t[1] = t return hex(cmsgpack.pack(t))",
    r"local t = {} t.a = t return hex(cmsgpack.pack(t))",
    r"return hex(cmsgpack.pack({[2^31]=1})) .. ' ' .. hex(cmsgpack.pack({[2^32+1]=1}))",
    r"return hex(cmsgpack.pack({[1]=1, [2]=2, [4294967297]=5}))",
    r"return hex(cmsgpack.pack({a={b={c={1,2,{d=true}}}}, x='y', [10]=false}))",
    r"return hex(cmsgpack.pack(cjson.null, cjson.decode('[1,null]')))",
    r"return cmsgpack.pack()",
    r"local p = cmsgpack.pack return p()",
    r"local t = {} for i=1,4000 do t[i]=i end return #cmsgpack.pack(unpack(t))",
    r"local t = {} for i=1,4001 do t[i]=i end return #cmsgpack.pack(unpack(t))",
    r"local t = {} for i=1,4000 do t[i]={} end return #cmsgpack.pack(unpack(t))",
    r"local t = {} for i=1,4000 do t[i]={a=1} end return #cmsgpack.pack(unpack(t))",
    r"local t = {} for i=1,3990 do t[i]={a=1} end return #cmsgpack.pack(unpack(t))",
    r"local t = {} for i=1,3999 do t[i]={a=1} end return #cmsgpack.pack(unpack(t))",
    r"local t = {} for i=1,3999 do t[i]={1} end return #cmsgpack.pack(unpack(t))",
    r"local t = {} for i=1,4000 do t[i]={1} end return #cmsgpack.pack(unpack(t))",
    r"local t = {} for i=1,4000 do t[i]={{1}} end return #cmsgpack.pack(unpack(t))",
    r"local t = {} for i=1,3999 do t[i]={{1}} end return #cmsgpack.pack(unpack(t))",
    r"local t = {} for i=1,3998 do t[i]={{1}} end return #cmsgpack.pack(unpack(t))",
    r"return {cmsgpack.unpack(cmsgpack.pack(1,'a',{1,2},{a=1}))}",
    r"return {cmsgpack.unpack('\207\255\255\255\255\255\255\255\255')}",
    r"return tostring(cmsgpack.unpack('\207\128\0\0\0\0\0\0\1'))",
    r"return tostring(cmsgpack.unpack('\211\128\0\0\0\0\0\0\1'))",
    r"return tostring(cmsgpack.unpack('\206\255\255\255\255'))..' '..tostring(cmsgpack.unpack('\210\255\255\255\254'))..' '..tostring(cmsgpack.unpack('\205\255\254'))..' '..tostring(cmsgpack.unpack('\209\255\254'))..' '..tostring(cmsgpack.unpack('\204\255'))..' '..tostring(cmsgpack.unpack('\208\255'))",
    r"return {cmsgpack.unpack('')}",
    r"return {cmsgpack.unpack('\196\1a')}",
    r"return {cmsgpack.unpack('\1\193')}",
    r"return {cmsgpack.unpack('\147\1')}",
    r"return {cmsgpack.unpack('\220\0')}",
    r"return {cmsgpack.unpack('\221\255\255\255\255\1')}",
    r"return {cmsgpack.unpack('\219\0\0\0\5abc')}",
    r"return {cmsgpack.unpack('\145\212\1\1')}",
    r"return {cmsgpack.unpack_one('')}",
    r"return {cmsgpack.unpack_one('\1\2\3')}",
    r"return {cmsgpack.unpack_one('\1\2\3', 2)}",
    r"return {cmsgpack.unpack_one('\1\2\3', 3)}",
    r"return {cmsgpack.unpack_one('\1\2\3', 4)}",
    r"return {cmsgpack.unpack_one('\1\2\3', -1)}",
    r"return {cmsgpack.unpack_one('\1\2\3', 4294967297)}",
    r"return {cmsgpack.unpack_limit('\1\2\3', 2)}",
    r"return {cmsgpack.unpack_limit('\1\2\3', 0)}",
    r"return {cmsgpack.unpack_limit('\1\2\3', 0, 1)}",
    r"return {cmsgpack.unpack_limit('\1\2\3', -1)}",
    r"return {cmsgpack.unpack_limit('\1\2\3')}",
    r"return {cmsgpack.unpack_limit('\1\2\3', 'x')}",
    r"return {cmsgpack.unpack_limit('\1\2\3', '2', '1')}",
    r"return {cmsgpack.unpack_limit('\1\2\3', 1.9, 1.9)}",
    r"return {cmsgpack.unpack(12)}",
    r"return {cmsgpack.unpack({})}",
    r"return {cmsgpack.unpack_one({})}",
    r"return {cmsgpack.unpack_one()}",
    r"return cmsgpack:unpack()",
    r"return {pcall(cmsgpack.unpack, {})}",
    r"return tostring(cmsgpack.unpack(cmsgpack.pack(0.1)))..' '..tostring(cmsgpack.unpack('\202\61\204\204\205'))",
    r"local t = cmsgpack.unpack('\130\192\1\2\3') return 1",
    r"local t = cmsgpack.unpack('\130\1\192\2\3') local n=0 for k,v in pairs(t) do n=n+1 end return n",
    r"local t = cmsgpack.unpack('\129\203\255\248\0\0\0\0\0\0\1') return 1",
    r"return #({cmsgpack.unpack(string.rep('\192', 7990))})",
    r"return #({cmsgpack.unpack(string.rep('\1', 7997))})",
    r"return #({cmsgpack.unpack(string.rep('\1', 7998))})",
    r"return #({cmsgpack.unpack(string.rep('\1', 7999))})",
    r"return #({cmsgpack.unpack_one(string.rep('\1', 7999))})",
    r"return #({cmsgpack.unpack_limit(string.rep('\1', 9000), 7996)})",
    r"return #({cmsgpack.unpack_limit(string.rep('\1', 9000), 7997)})",
    r"return #({cmsgpack.unpack_limit(string.rep('\1', 9000), 7998)})",
    r"return #({cmsgpack.unpack(string.rep('\1', 8000))})",
    r"return #({cmsgpack.unpack(string.rep('\1', 20000))})",
    r"return #({cmsgpack.unpack_limit(string.rep('\1', 9000), 7999)})",
    r"return #({cmsgpack.unpack_limit(string.rep('\1', 9000), 8000)})",
    r"local ok, e = pcall(cmsgpack.unpack, string.rep('\1', 20000)) return e",
    r"return #cmsgpack.unpack(string.rep('\145', 3000)..'\1')",
    r"local ok, e = pcall(cmsgpack.unpack, string.rep('\145', 5000)..'\1') return e",
    r"local ok, e = pcall(cmsgpack.unpack, string.rep('\129\1', 5000)..'\1') return e",
    r"local ok, e = pcall(cmsgpack.unpack, string.rep('\1', 7997)..'\145\1') return {ok, e}",
    r"return #{cmsgpack.unpack(string.rep('\1', 7997)..'\144')}",
    r"local ok, e = pcall(cmsgpack.unpack, string.rep('\1', 7998)..'\144') return {ok, e}",
    r"return #{cmsgpack.unpack(string.rep('\1', 7998)..'\128')}",
    r"local ok, e = pcall(cmsgpack.unpack, string.rep('\1', 7997)..'\129\1\1') return {ok, e}",
    r"local ok, e = pcall(cmsgpack.unpack, string.rep('\1', 7998)..'\145') return {ok, e}",
    r"local ok, e = pcall(cmsgpack.unpack, string.rep('\1', 7999)..'\145') return {ok, e}",
    r"local t = cmsgpack.unpack(cmsgpack.pack({a=1,b={1,2,'x'},c={d={e=false}}})) return {t.a, t.b[3], tostring(t.c.d.e)}",
    r"return cmsgpack._VERSION .. cmsgpack._NAME .. cmsgpack._COPYRIGHT .. cmsgpack._DESCRIPTION",
    r"cmsgpack.pack = 1",
    r"local co = coroutine.wrap(function() return cmsgpack.unpack('\147') end) return co()",
    r"local co = coroutine.wrap(function() return hex(cmsgpack.pack({1,{2}}, 'x')) end) return co()",
    r"return hex(cmsgpack.pack(KEYS, ARGV))",
    r"return {pcall(cmsgpack.pack)}",
    r"local ok, e = pcall(cmsgpack.unpack, '\145') return {ok, e}",
    r"return cmsgpack.unpack(cmsgpack.pack(-0.0)) == 0",
    r"return tostring(cmsgpack.unpack(cmsgpack.pack(1e308 * 10)))",
    r"return tostring(cmsgpack.unpack(cmsgpack.pack(-(0/0))))",
    r"return {cmsgpack.unpack('\1', 1, 2)}",
    r"return {cmsgpack.unpack_one('\1\2', nil)}",
    r"return {cmsgpack.unpack_limit('\1\2', 1, nil)}",
    r"return {cmsgpack.unpack_one('\1\2', '1')}",
    r"return {cmsgpack.unpack_one('\1\2', 'x')}",
    r"return {cmsgpack.unpack_limit('\1\2', 2^31)}",
    r"return {cmsgpack.unpack_limit('\1\2', 2^32)}",
    r"return {cmsgpack.unpack_limit('\1\2', 2^32 + 1)}",
    r"return {cmsgpack.unpack_one('\1\2', 2^32 + 1)}",
    r"return {cmsgpack.unpack_one('\1\2', 1/0)}",
    r"return {cmsgpack.unpack_one('\1\2', 0/0)}",
    r"local t = setmetatable({}, {__index = function() return 1 end}) return hex(cmsgpack.pack(t))",
    r"local t = setmetatable({1,2}, {__index = function() return 1 end}) return hex(cmsgpack.pack(t))",
    r"return hex(cmsgpack.pack(coroutine.create(function() end)))",
    r"return hex(cmsgpack.pack({[true]=1, [false]=0}))",
    r"return hex(cmsgpack.pack({[{}]=1}))",
    r"local t = {} for i=1,7990 do t[i]='s'..i end return #cmsgpack.pack(unpack(t, 1, 3000))",
    r"return #{cmsgpack.unpack(string.rep('\161a', 7999))}",
    r"return #{cmsgpack.unpack(string.rep('\145\161a', 7999))}",
    r"local t = {} for i=1,30000 do t[i] = {i, 's'..i, {x=i}} end return #cmsgpack.pack(t)",
    r"local t = cmsgpack.unpack(cmsgpack.pack({a={b={c={d={e={f={g={h={}}}}}}}})) return cmsgpack.pack(t)",
];

const STRUCT: &[&str] = &[
    r"return hex(struct.pack('>bBhHlLTiIfd', -1, 255, -2, 65535, -3, 7, 9, -4, 5, 0.1, -0.0))",
    r"return hex(struct.pack('<bBhHlLTiIfd', -1, 255, -2, 65535, -3, 7, 9, -4, 5, 0.1, -0.0))",
    r"return hex(struct.pack('bBhHlLTiIfd', 1.9, -1.9, 70000, -70000, 2^63, 2^64, -2^63, 1e30, 0/0, 1/0, 0/0))",
    r"return hex(struct.pack('!bd!2bi!bh', 1, 2, 3, 4, 5, 6))",
    r"return hex(struct.pack('i1i2i3i5i8i9i16', -1, -1, -1, -1, -1, -1, -1))",
    r"return hex(struct.pack('>i3I9i16', -2, 3, -5))",
    r"return hex(struct.pack('i33', 1))",
    r"return hex(struct.pack('i99999999999', 1))",
    r"return hex(struct.pack('!3i', 1))",
    r"return hex(struct.pack('!0i', 1))",
    r"return hex(struct.pack('sxc0c3c', 'ab', 'cd', 'efgh', 'ijk'))",
    r"return hex(struct.pack('s', 'a\0b'))",
    r"return hex(struct.pack('c0', 12))",
    r"return hex(struct.pack('i', 'x'))",
    r"return hex(struct.pack('i'))",
    r"return hex(struct.pack('i', '0x10', 3))",
    r"return hex(struct.pack())",
    r"return hex(struct.pack(12, 1))",
    r"return hex(struct.pack('!>  i <i', 1, 2))",
    r"return hex(struct.pack('i\0i', 1, 2))",
    r"return hex(struct.pack('!4i3i3', 1, 2))",
    r"return hex(struct.pack('f', 0/0))",
    r"return hex(struct.pack('>f', 1e40))",
    r"return hex(struct.pack('\200', 1))",
    r"return {struct.unpack('>bBhHlLTiI', struct.pack('>bBhHlLTiI', -1, 255, -2, 65535, -3, 7, 9, -4, 5))}",
    r"local a,b,c = struct.unpack('fd', struct.pack('fd', 0.1, 0.1)) return {tostring(a), tostring(b), c}",
    r"return {struct.unpack('i', 'abcd', 2)}",
    r"return {struct.unpack('i', 'abcd', 0)}",
    r"return {struct.unpack('i', 'abcd', -1)}",
    r"return {struct.unpack('b', 'abcd', 4)}",
    r"return {struct.unpack('b', 'abcd', 5)}",
    r"return {struct.unpack('', 'abcd', 5)}",
    r"return {struct.unpack('', 'abcd', 6)}",
    r"return {struct.unpack(' ', 'abcd', 6)}",
    r"return {struct.unpack('s', 'ab\0cd')}",
    r"return {struct.unpack('ss', 'ab\0cd')}",
    r"return {struct.unpack('bc0', '\3abcd')}",
    r"return {struct.unpack('c0', '\3abcd')}",
    r"return {struct.unpack('c1c0', '2abcd')}",
    r"return {struct.unpack('c1c0', 'xabcd')}",
    r"return {struct.unpack('bc0', '\9abcd')}",
    r"return {struct.unpack('c2xc', 'abcd')}",
    r"return {struct.unpack('!i', 'abcdefgh', 2)}",
    r"return {struct.unpack('i16', string.rep('\255', 16))}",
    r"return {struct.unpack('I16', string.rep('\255', 16))}",
    r"return {struct.unpack('i9', string.rep('\255', 8)..'\0')}",
    r"return {struct.unpack('i9', '\128'..string.rep('\0', 8))}",
    r"return {struct.unpack('>i9', '\0\0\0\0\0\0\0\0\128')}",
    r"return {struct.unpack('i12', '\1\0\0\0\0\0\0\0\0\0\0\128')}",
    r"return {struct.unpack('i0', 'a')}",
    r"return {struct.unpack('i3', '\255\255\127')}",
    r"return {struct.unpack('i3', '\255\255\128')}",
    r"return {struct.unpack('z', 'a')}",
    r"return {struct.unpack('i')}",
    r"return {struct.unpack('i', 'abcd', 'x')}",
    r"return {struct.unpack('i', 'abcd', 1.9)}",
    r"return {struct.size('bBhHlLTiIfd'), struct.size('!bd'), struct.size('c3xi7'), struct.size(''), struct.size('zq'), struct.size('<>!4 bi')}",
    r"return struct.size('s')",
    r"return struct.size('c0')",
    r"return struct.size('b?')",
    r"return struct.size()",
    r"return struct.size('!5')",
    r"return struct.size('i40')",
    r"return struct.size(123)",
    r"return struct.size('!8bi3d')",
    r"return #{struct.unpack(string.rep('b', 7996), string.rep('a', 8000))}",
    r"return #{struct.unpack(string.rep('b', 7997), string.rep('a', 8000))}",
    r"return #{struct.unpack(string.rep('b', 7996), string.rep('a', 8000), 1)}",
    r"return #{struct.unpack(string.rep('b', 7995), string.rep('a', 8000), 1)}",
    r"return #{struct.unpack(string.rep('b', 7997), string.rep('a', 8000), 1, 2)}",
    r"local ok, e = pcall(struct.unpack, 'i', 'a') return e",
    r"return #struct.pack(string.rep('i', 3000), 1)",
    r"return struct:size()",
    r"local t = {f=struct.size} return t.f({})",
    r"return {struct.unpack('fc0', struct.pack('f', 2.5)..'abc')}",
    r"return {struct.unpack('hc0', struct.pack('h', -1)..'abc')}",
    r"return {struct.unpack('!4bi', 'abcdefgh')}",
    r"return {struct.unpack('!4b>i', 'a\0\0\0\0\0\0\1')}",
    r"return struct.pack('c', 5)",
    r"return struct.pack('c2', 5)",
    r"return struct.pack('s', {})",
    r"return {struct.unpack('I', struct.pack('I', -1))}",
    r"return {struct.unpack('L', struct.pack('l', -1))}",
    r"return {struct.unpack('>i2', 'ab', 2^53)}",
    r"struct.x = 1",
    r"local s = struct return s.pack('z')",
    r"return struct:pack('i')",
    r"return hex(struct.pack('>I', 2^32)) .. hex(struct.pack('b', 300)) .. hex(struct.pack('<f', -0.0)) .. hex(struct.pack('>h', -32769))",
    r"return {struct.unpack('c2', 12)}",
    r"return {struct.unpack('i', 'abcd', '1')}",
    r"return {struct.unpack('c5', 'abcd')}",
    r"return {struct.unpack('>d<d', struct.pack('>d<d', 1.5, -2.25))}",
    r"return {struct.unpack('s', '')}",
    r"return {struct.unpack('x', '')}",
    r"return {struct.unpack('x', 'a')}",
    r"return {struct.unpack('bbbc0', '\1\2\0abc')}",
    r"return {struct.unpack('c0', '')}",
    r"return {struct.unpack('!2bh!8bd', struct.pack('!2bh!8bd', 1, 2, 3, 4.5))}",
    r"return {pcall(struct.unpack, 'c0', '')}",
    r"return {pcall(struct.size, 's')}",
    r"return {struct.unpack('b', 'a', 1/0)}",
    r"return {struct.unpack('b', 'a', 0/0)}",
    r"return {struct.unpack('b', 'a', -2^63)}",
    r"return {struct.pack('c0', '')}",
    r"return {struct.pack('', 1, 2)}",
    r"return hex(struct.pack('i32', -1))",
    r"return {struct.unpack('I32', string.rep('\255', 32))}",
    r"return hex(struct.pack('l', 0/0)) .. hex(struct.pack('l', -1/0)) .. hex(struct.pack('L', 1/0)) .. hex(struct.pack('L', -1))",
    r"return {struct.unpack('>i3', struct.pack('>i3', -8388608))}",
    r"local t = {} for i=1,7990 do t[i]=i%100 end return #struct.pack(string.rep('b', 7990), unpack(t))",
    r"local t = {} for i=1,7997 do t[i]=i%100 end return #struct.pack(string.rep('b', 7998), unpack(t))",
    r"return {struct.unpack(string.rep('c0', 3), '\3')}",
    r"return {struct.unpack('bc0c0', '\2\49\50xyz')}",
    r"return {struct.unpack('dc0', struct.pack('d', 2.9) .. 'abc')}",
    r"return {struct.unpack('dc0', struct.pack('d', -1) .. 'abc')}",
    r"return {struct.unpack('dc0', struct.pack('d', 0/0) .. 'abc')}",
    r"return {struct.unpack('sc0', '3\0abc')}",
    r"return hex(struct.pack('!1073741824d', 1))",
    r"return hex(struct.pack('!16d', 1))",
    r"return {struct.size('!16bd'), struct.size('!bI16'), struct.size('!2bi3'), struct.size('!8bi5b')}",
    r"return hex(struct.pack('!8bi5b', 1, 2, 3))",
    r"return {struct.unpack('!8bi5b', struct.pack('!8bi5b', 1, 2, 3))}",
    r"return struct.pack('c2147483647', 'a')",
    r"return struct.pack('c2147483648', 'a')",
    r"return {struct.unpack('c2147483647', 'a')}",
    r"return hex(cmsgpack.pack(struct.pack('>I', 7)))",
];

fn pair() -> (Pair, DiffConn) {
    let pair = Pair::start(&["--cores", "2", "--shards", "2"]);
    let conns = pair.conns();
    (pair, conns)
}

fn check_bodies(proto: &str, bodies: &[&str]) {
    let (_pair, mut conns) = pair();
    conns.both(&[b"HELLO", proto.as_bytes()]);
    for body in bodies {
        let script = format!("{HEX}{body}");
        conns.check(&[b"EVAL", script.as_bytes(), b"0"]);
    }
}

#[test]
fn cmsgpack_matches_redis_resp2() {
    check_bodies("2", CMSGPACK);
}

#[test]
fn cmsgpack_matches_redis_resp3() {
    check_bodies("3", CMSGPACK);
}

#[test]
fn struct_matches_redis_resp2() {
    check_bodies("2", STRUCT);
}

#[test]
fn struct_matches_redis_resp3() {
    check_bodies("3", STRUCT);
}

/// The base library at Lua's C stack limit (8000 slots): `pcall` pushes its status on top of
/// results that already fill the stack, which a Lua built with API checks rejects.
const BASE_LIMITS: &[&str] = &[
    r"local t = {} for i=1,7990 do t[i]=i end local r = {pcall(unpack, t)} return {#r, r[1], r[7991]}",
    r"local t = {} for i=1,7999 do t[i]=i end local r = {pcall(unpack, t)} return {#r, r[1], r[8000]}",
    r"local t = {} for i=1,8000 do t[i]=i end return {pcall(unpack, t)}",
    r"local t = {} for i=1,20000 do t[i]=i end return {pcall(unpack, t)}",
    r"local t = {} for i=1,7999 do t[i]=i end return #{unpack(t)}",
    r"local t = {} for i=1,7999 do t[i]=i end return select('#', pcall(unpack, t))",
];

#[test]
fn base_library_stack_limits_match_redis() {
    check_bodies("2", BASE_LIMITS);
}

const INTEGERS: &[&str] = &[
    "0",
    "1",
    "127",
    "128",
    "255",
    "256",
    "65535",
    "65536",
    "4294967295",
    "4294967296",
    "-1",
    "-32",
    "-33",
    "-128",
    "-129",
    "-32768",
    "-32769",
    "-2147483648",
    "-2147483649",
    "2^53",
    "-2^63",
    "2^63",
    "2^64",
    "9007199254740993",
];

const FLOATS: &[&str] = &[
    "0.5", "0.1", "-0.0", "1/0", "-1/0", "0/0", "-(0/0)", "1e300", "-3.25", "1e-300", "2^-149",
];

/// A random Lua expression: scalars of every kind, tables up to a depth past the nesting
/// limit (array-like, map-like, with holes, with non-integer keys).
fn lua_value(rng: &mut Rng, depth: usize) -> String {
    match rng.below(if depth > 20 { 6 } else { 9 }) {
        0 => rng.pick(INTEGERS).to_string(),
        1 => rng.range(-100_000, 100_000).to_string(),
        2 => format!("({})", rng.pick(FLOATS)),
        3 => format!("{}/{}", rng.range(-1000, 1000), rng.range(1, 64)),
        4 => {
            let len = *rng.pick(&[0, 1, 31, 32, 255, 256, 65535, 65536]);
            format!(
                "string.rep('{}', {len})",
                rng.pick(&["a", "\\0", "\\255", "xy"])
            )
        }
        5 => rng
            .pick(&["true", "false", "nil", "'k'", "cjson.null"])
            .to_string(),
        6 | 7 => {
            let most = if rng.chance(10) { 20 } else { 5 };
            let n = rng.below(most);
            let items: Vec<String> = (0..n).map(|_| lua_value(rng, depth + 1)).collect();
            format!("{{{}}}", items.join(", "))
        }
        _ => {
            let n = rng.below(6);
            let items: Vec<String> = (0..n)
                .map(|i| {
                    let key = match rng.below(4) {
                        0 => format!("k{i}"),
                        1 => format!("[{}]", rng.range(-2, 8)),
                        2 => format!("[{}.5]", rng.range(-2, 3)),
                        _ => format!("['{}']", "s".repeat(i as usize + 1)),
                    };
                    format!("{key} = {}", lua_value(rng, depth + 1))
                })
                .collect();
            format!("{{{}}}", items.join(", "))
        }
    }
}

/// Random values packed, unpacked and packed again: every step's bytes as redis-server's.
#[test]
fn random_values_pack_and_round_trip_like_redis() {
    let (_pair, mut conns) = pair();
    let mut rng = Rng::new(0x6d73_6770);
    for _ in 0..300 {
        let args: Vec<String> = (0..1 + rng.below(3))
            .map(|_| lua_value(&mut rng, 0))
            .collect();
        let script = format!(
            "local p = cmsgpack.pack({}) local again = cmsgpack.pack(cmsgpack.unpack(p)) \
             return {{p, again, p == again, cmsgpack.unpack_limit(p, 1)}}",
            args.join(", ")
        );
        conns.check(&[b"EVAL", script.as_bytes(), b"0"]);
    }
}

/// MessagePack pieces: every type byte, valid and refused ones.
const PIECES: &[&[u8]] = &[
    b"\xc0",
    b"\xc2",
    b"\xc3",
    b"\x05",
    b"\x7f",
    b"\xe0",
    b"\xff",
    b"\xcc\x80",
    b"\xcd\x01\x00",
    b"\xce\xff\xff\xff\xff",
    b"\xcf\xff\xff\xff\xff\xff\xff\xff\xff",
    b"\xcf\x80\0\0\0\0\0\0\x01",
    b"\xd0\x80",
    b"\xd1\x80\x00",
    b"\xd2\x80\0\0\0",
    b"\xd3\x80\0\0\0\0\0\0\0",
    b"\xca\x3f\x80\0\0",
    b"\xca\x7f\x80\0\0",
    b"\xcb\x7f\xf8\0\0\0\0\0\0",
    b"\xcb\x80\0\0\0\0\0\0\0",
    b"\xa3abc",
    b"\xd9\x02hi",
    b"\xda\x00\x01x",
    b"\xdb\0\0\0\x01y",
    b"\x92",
    b"\x81",
    b"\x80",
    b"\x90",
    b"\xa0",
    b"\xdc\x00\x02",
    b"\xde\x00\x01",
    b"\xdd\0\0\0\x01",
    b"\xdf\0\0\0\x01",
    b"\xc4\x01a",
    b"\xc1",
    b"\xc7\x01\x01a",
    b"\xd4\x01\x01",
    b"\xd8\x01",
];

/// Random byte strings (MessagePack pieces, often cut short) decoded by every entry point,
/// with random offsets and limits: values or errors as redis-server's, never a crash.
#[test]
fn random_bytes_unpack_like_redis() {
    const BODIES: &[&str] = &[
        "return {pcall(cmsgpack.unpack, ARGV[1])}",
        "return {pcall(cmsgpack.unpack_one, ARGV[1], tonumber(ARGV[2]))}",
        "return {pcall(cmsgpack.unpack_limit, ARGV[1], tonumber(ARGV[3]), tonumber(ARGV[2]))}",
        "local r = {pcall(cmsgpack.unpack, ARGV[1])}\n\
         if r[1] then return cmsgpack.pack(unpack(r, 2, table.maxn(r))) end return r",
        "return cmsgpack.unpack(ARGV[1])",
    ];
    let (_pair, mut conns) = pair();
    let mut rng = Rng::new(0x756e_7061);
    for _ in 0..1500 {
        let mut data: Vec<u8> = Vec::new();
        for _ in 0..rng.below(9) {
            let piece: &[u8] = rng.pick::<&[u8]>(PIECES);
            data.extend_from_slice(piece);
        }
        if rng.chance(30) {
            data.truncate(rng.below(data.len() as u64 + 1) as usize);
        }
        let offset = rng.range(-2, 12).to_string();
        let limit = rng.range(-1, 4).to_string();
        let body = rng.pick(BODIES);
        conns.check(&[
            b"EVAL",
            body.as_bytes(),
            b"0",
            &data,
            offset.as_bytes(),
            limit.as_bytes(),
        ]);
    }
}

/// Random formats (valid options, counts, alignments, endianness, and a few bad ones) with
/// fitting or unfitting arguments: pack, size and unpack as redis-server's.
#[test]
fn random_formats_like_redis() {
    const OPTIONS: &[&str] = &[
        "b", "B", "h", "H", "l", "L", "T", "i", "I", "i1", "I2", "i3", "i7", "I8", "i9", "i16",
        "f", "d", "x", "s", "c", "c3", "c0", ">", "<", "!", "!2", "!4", " ", "z", "!3",
    ];
    let (_pair, mut conns) = pair();
    let mut rng = Rng::new(0x7374_7275);
    for _ in 0..600 {
        let mut fmt = String::new();
        let mut args = Vec::new();
        for _ in 0..rng.below(6) {
            let opt = *rng.pick(OPTIONS);
            fmt.push_str(opt);
            let arg = match opt.as_bytes()[0] {
                b's' | b'c' => format!("string.rep('q', {})", rng.below(5)),
                b'f' | b'd' => format!("({})", rng.pick(FLOATS)),
                b'x' | b'>' | b'<' | b'!' | b' ' | b'z' => continue,
                _ => rng.pick(INTEGERS).to_string(),
            };
            args.push(arg);
        }
        if rng.chance(10) {
            args.pop();
        }
        let script = format!(
            "local f = ARGV[1] local ok, p = pcall(struct.pack, f{}{})\n\
             if not ok then return p end\n\
             return {{p, {{pcall(struct.size, f)}}, {{pcall(struct.unpack, f, p)}}, \
             {{pcall(struct.unpack, f, p:sub(2), 1)}}}}",
            if args.is_empty() { "" } else { ", " },
            args.join(", ")
        );
        conns.check(&[b"EVAL", script.as_bytes(), b"0", fmt.as_bytes()]);
    }
}
