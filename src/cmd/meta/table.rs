//! The table of top-level commands and the name → entry lookup used on the hot path.
//!
//! `index_of` switches on the name's length, then compares it with the few names of that
//! length; it never allocates.

use super::{
    bitmap, blocking, cluster, connection, hash, hll, keyspace, list, pubsub, scripting, server,
    set, string, transaction, zset, CommandMeta,
};

/// Every top-level command, in family order.
pub static ALL: [CommandMeta; 183] = [
    connection::PING,
    connection::ECHO,
    connection::HELLO,
    connection::AUTH,
    connection::SELECT,
    connection::QUIT,
    connection::RESET,
    connection::READONLY,
    connection::READWRITE,
    connection::CLIENT,
    server::COMMAND,
    server::INFO,
    server::CONFIG,
    server::DBSIZE,
    server::FLUSHALL,
    server::FLUSHDB,
    server::TIME,
    server::DEBUG,
    server::SHUTDOWN,
    string::GET,
    string::SET,
    string::SETNX,
    string::SETEX,
    string::PSETEX,
    string::MGET,
    string::MSET,
    string::MSETNX,
    string::GETSET,
    string::GETDEL,
    string::GETEX,
    string::APPEND,
    string::STRLEN,
    string::INCR,
    string::DECR,
    string::INCRBY,
    string::DECRBY,
    string::INCRBYFLOAT,
    string::GETRANGE,
    string::SETRANGE,
    string::SUBSTR,
    string::LCS,
    keyspace::DEL,
    keyspace::UNLINK,
    keyspace::EXISTS,
    keyspace::TYPE,
    keyspace::EXPIRE,
    keyspace::PEXPIRE,
    keyspace::EXPIREAT,
    keyspace::PEXPIREAT,
    keyspace::TTL,
    keyspace::PTTL,
    keyspace::EXPIRETIME,
    keyspace::PEXPIRETIME,
    keyspace::PERSIST,
    keyspace::KEYS,
    keyspace::SCAN,
    keyspace::RANDOMKEY,
    keyspace::RENAME,
    keyspace::RENAMENX,
    keyspace::COPY,
    keyspace::TOUCH,
    keyspace::OBJECT,
    hash::HSET,
    hash::HSETNX,
    hash::HGET,
    hash::HMGET,
    hash::HMSET,
    hash::HDEL,
    hash::HEXISTS,
    hash::HLEN,
    hash::HSTRLEN,
    hash::HKEYS,
    hash::HVALS,
    hash::HGETALL,
    hash::HINCRBY,
    hash::HINCRBYFLOAT,
    hash::HRANDFIELD,
    hash::HSCAN,
    set::SADD,
    set::SREM,
    set::SISMEMBER,
    set::SMISMEMBER,
    set::SMEMBERS,
    set::SCARD,
    set::SPOP,
    set::SRANDMEMBER,
    set::SMOVE,
    set::SINTER,
    set::SINTERCARD,
    set::SUNION,
    set::SDIFF,
    set::SINTERSTORE,
    set::SUNIONSTORE,
    set::SDIFFSTORE,
    set::SSCAN,
    list::LPUSH,
    list::RPUSH,
    list::LPUSHX,
    list::RPUSHX,
    list::LPOP,
    list::RPOP,
    list::LLEN,
    list::LRANGE,
    list::LINDEX,
    list::LSET,
    list::LINSERT,
    list::LREM,
    list::LTRIM,
    list::LPOS,
    list::LMOVE,
    list::RPOPLPUSH,
    list::LMPOP,
    cluster::ASKING,
    cluster::CLUSTER,
    zset::ZADD,
    zset::ZINCRBY,
    zset::ZREM,
    zset::ZCARD,
    zset::ZSCORE,
    zset::ZMSCORE,
    zset::ZRANK,
    zset::ZREVRANK,
    zset::ZCOUNT,
    zset::ZLEXCOUNT,
    zset::ZRANGE,
    zset::ZRANGESTORE,
    zset::ZRANGEBYSCORE,
    zset::ZREVRANGEBYSCORE,
    zset::ZRANGEBYLEX,
    zset::ZREVRANGEBYLEX,
    zset::ZREVRANGE,
    zset::ZREMRANGEBYRANK,
    zset::ZREMRANGEBYSCORE,
    zset::ZREMRANGEBYLEX,
    zset::ZPOPMIN,
    zset::ZPOPMAX,
    zset::ZMPOP,
    zset::ZRANDMEMBER,
    zset::ZSCAN,
    zset::ZUNION,
    zset::ZINTER,
    zset::ZDIFF,
    zset::ZINTERCARD,
    zset::ZUNIONSTORE,
    zset::ZINTERSTORE,
    zset::ZDIFFSTORE,
    bitmap::SETBIT,
    bitmap::GETBIT,
    bitmap::BITCOUNT,
    bitmap::BITPOS,
    bitmap::BITOP,
    bitmap::BITFIELD,
    bitmap::BITFIELD_RO,
    hll::PFADD,
    hll::PFCOUNT,
    hll::PFMERGE,
    pubsub::SUBSCRIBE,
    pubsub::UNSUBSCRIBE,
    pubsub::PSUBSCRIBE,
    pubsub::PUNSUBSCRIBE,
    pubsub::PUBLISH,
    pubsub::PUBSUB,
    pubsub::SSUBSCRIBE,
    pubsub::SUNSUBSCRIBE,
    pubsub::SPUBLISH,
    transaction::MULTI,
    transaction::EXEC,
    transaction::DISCARD,
    transaction::WATCH,
    transaction::UNWATCH,
    blocking::BLPOP,
    blocking::BRPOP,
    blocking::BRPOPLPUSH,
    blocking::BLMOVE,
    blocking::BLMPOP,
    blocking::BZPOPMIN,
    blocking::BZPOPMAX,
    blocking::BZMPOP,
    scripting::EVAL,
    scripting::EVALSHA,
    scripting::EVAL_RO,
    scripting::EVALSHA_RO,
    scripting::SCRIPT,
];

/// Position in [`ALL`] of the first Pub/Sub entry (they follow in [`pubsub_index_of`]'s order).
const PUBSUB_FIRST: usize = 156;

/// Where the transaction commands start in [`ALL`].
const TRANSACTION_BASE: usize = 165;

/// Where the blocking pops start in [`ALL`].
const BLOCKING_BASE: usize = 170;

/// Where the scripting commands start in [`ALL`].
const SCRIPTING_BASE: usize = 178;

/// Length of the longest command name.
pub const MAX_NAME_LEN: usize = 16;

/// Position in [`ALL`] of the command named `lower` (already lower-cased): a switch on the
/// length, then on the bytes.
pub fn index_of(lower: &[u8]) -> Option<usize> {
    if let Some(index) = collection_index_of(lower) {
        return Some(index);
    }
    if let Some(index) = typed_index_of(lower) {
        return Some(index);
    }
    if let Some(index) = pubsub_index_of(lower) {
        return Some(PUBSUB_FIRST + index);
    }
    if let Some(index) = transaction::index_of(lower) {
        return Some(TRANSACTION_BASE + index);
    }
    if let Some(index) = blocking::index_of(lower) {
        return Some(BLOCKING_BASE + index);
    }
    if let Some(index) = scripting::index_of(lower) {
        return Some(SCRIPTING_BASE + index);
    }
    let index = match lower.len() {
        3 => match lower {
            b"get" => 19,
            b"set" => 20,
            b"lcs" => 40,
            b"del" => 41,
            b"ttl" => 49,
            _ => return None,
        },
        4 => match lower {
            b"ping" => 0,
            b"echo" => 1,
            b"auth" => 3,
            b"quit" => 5,
            b"info" => 11,
            b"time" => 16,
            b"mget" => 24,
            b"mset" => 25,
            b"incr" => 32,
            b"decr" => 33,
            b"type" => 44,
            b"pttl" => 50,
            b"keys" => 54,
            b"scan" => 55,
            b"copy" => 59,
            _ => return None,
        },
        5 => match lower {
            b"hello" => 2,
            b"reset" => 6,
            b"debug" => 17,
            b"setnx" => 21,
            b"setex" => 22,
            b"getex" => 29,
            b"touch" => 60,
            _ => return None,
        },
        6 => match lower {
            b"select" => 4,
            b"asking" => 112,
            b"client" => 9,
            b"config" => 12,
            b"dbsize" => 13,
            b"psetex" => 23,
            b"msetnx" => 26,
            b"getset" => 27,
            b"getdel" => 28,
            b"append" => 30,
            b"strlen" => 31,
            b"incrby" => 34,
            b"decrby" => 35,
            b"substr" => 39,
            b"unlink" => 42,
            b"exists" => 43,
            b"expire" => 45,
            b"rename" => 57,
            b"object" => 61,
            _ => return None,
        },
        7 => match lower {
            b"command" => 10,
            b"cluster" => 113,
            b"flushdb" => 15,
            b"pexpire" => 46,
            b"persist" => 53,
            _ => return None,
        },
        8 => match lower {
            b"readonly" => 7,
            b"flushall" => 14,
            b"shutdown" => 18,
            b"getrange" => 37,
            b"setrange" => 38,
            b"expireat" => 47,
            b"renamenx" => 58,
            _ => return None,
        },
        9 => match lower {
            b"readwrite" => 8,
            b"pexpireat" => 48,
            b"randomkey" => 56,
            _ => return None,
        },
        10 => match lower {
            b"expiretime" => 51,
            _ => return None,
        },
        11 => match lower {
            b"incrbyfloat" => 36,
            b"pexpiretime" => 52,
            _ => return None,
        },
        _ => return None,
    };
    Some(index)
}

/// [`index_of`] for the hash, set and list commands.
fn collection_index_of(lower: &[u8]) -> Option<usize> {
    let index = match lower.len() {
        4 => match lower {
            b"hset" => 62,
            b"hget" => 64,
            b"hdel" => 67,
            b"hlen" => 69,
            b"sadd" => 78,
            b"srem" => 79,
            b"spop" => 84,
            b"lpop" => 99,
            b"rpop" => 100,
            b"llen" => 101,
            b"lset" => 104,
            b"lrem" => 106,
            b"lpos" => 108,
            _ => return None,
        },
        5 => match lower {
            b"hmget" => 65,
            b"hmset" => 66,
            b"hkeys" => 71,
            b"hvals" => 72,
            b"hscan" => 77,
            b"scard" => 83,
            b"smove" => 86,
            b"sdiff" => 90,
            b"sscan" => 94,
            b"lpush" => 95,
            b"rpush" => 96,
            b"ltrim" => 107,
            b"lmove" => 109,
            b"lmpop" => 111,
            _ => return None,
        },
        6 => match lower {
            b"hsetnx" => 63,
            b"sinter" => 87,
            b"sunion" => 89,
            b"lpushx" => 97,
            b"rpushx" => 98,
            b"lrange" => 102,
            b"lindex" => 103,
            _ => return None,
        },
        7 => match lower {
            b"hexists" => 68,
            b"hstrlen" => 70,
            b"hgetall" => 73,
            b"hincrby" => 74,
            b"linsert" => 105,
            _ => return None,
        },
        8 => match lower {
            b"smembers" => 82,
            _ => return None,
        },
        9 => match lower {
            b"sismember" => 80,
            b"rpoplpush" => 110,
            _ => return None,
        },
        10 => match lower {
            b"hrandfield" => 76,
            b"smismember" => 81,
            b"sintercard" => 88,
            b"sdiffstore" => 93,
            _ => return None,
        },
        11 => match lower {
            b"srandmember" => 85,
            b"sinterstore" => 91,
            b"sunionstore" => 92,
            _ => return None,
        },
        12 => match lower {
            b"hincrbyfloat" => 75,
            _ => return None,
        },
        _ => return None,
    };
    Some(index)
}

/// [`index_of`] for the sorted set, bitmap and HyperLogLog commands.
fn typed_index_of(lower: &[u8]) -> Option<usize> {
    let index = match lower.len() {
        4 => match lower {
            b"zadd" => 114,
            b"zrem" => 116,
            _ => return None,
        },
        5 => match lower {
            b"zcard" => 117,
            b"zrank" => 120,
            b"zmpop" => 136,
            b"zscan" => 138,
            b"zdiff" => 141,
            b"bitop" => 150,
            b"pfadd" => 153,
            _ => return None,
        },
        6 => match lower {
            b"zscore" => 118,
            b"zcount" => 122,
            b"zrange" => 124,
            b"zunion" => 139,
            b"zinter" => 140,
            b"setbit" => 146,
            b"getbit" => 147,
            b"bitpos" => 149,
            _ => return None,
        },
        7 => match lower {
            b"zincrby" => 115,
            b"zmscore" => 119,
            b"zpopmin" => 134,
            b"zpopmax" => 135,
            b"pfcount" => 154,
            b"pfmerge" => 155,
            _ => return None,
        },
        8 => match lower {
            b"zrevrank" => 121,
            b"bitcount" => 148,
            b"bitfield" => 151,
            _ => return None,
        },
        9 => match lower {
            b"zlexcount" => 123,
            b"zrevrange" => 130,
            _ => return None,
        },
        10 => match lower {
            b"zintercard" => 142,
            b"zdiffstore" => 145,
            _ => return None,
        },
        11 => match lower {
            b"zrangestore" => 125,
            b"zrangebylex" => 128,
            b"zrandmember" => 137,
            b"zunionstore" => 143,
            b"zinterstore" => 144,
            b"bitfield_ro" => 152,
            _ => return None,
        },
        13 => match lower {
            b"zrangebyscore" => 126,
            _ => return None,
        },
        14 => match lower {
            b"zrevrangebylex" => 129,
            b"zremrangebylex" => 133,
            _ => return None,
        },
        15 => match lower {
            b"zremrangebyrank" => 131,
            _ => return None,
        },
        16 => match lower {
            b"zrevrangebyscore" => 127,
            b"zremrangebyscore" => 132,
            _ => return None,
        },
        _ => return None,
    };
    Some(index)
}

/// The Pub/Sub commands' offsets from [`PUBSUB_FIRST`].
fn pubsub_index_of(lower: &[u8]) -> Option<usize> {
    let index = match lower {
        b"subscribe" => 0,
        b"unsubscribe" => 1,
        b"psubscribe" => 2,
        b"punsubscribe" => 3,
        b"publish" => 4,
        b"pubsub" => 5,
        b"ssubscribe" => 6,
        b"sunsubscribe" => 7,
        b"spublish" => 8,
        _ => return None,
    };
    Some(index)
}
