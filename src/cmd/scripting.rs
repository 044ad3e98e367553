//! Table entries for the scripting commands: EVAL, EVALSHA, EVAL_RO, EVALSHA_RO, SCRIPT.
//!
//! Scripts run under a cross-core transaction with the Lua interpreter of the receiving data
//! core, so their handlers live in `crate::script`; only the entries are here. EVAL's keys follow its
//! numkeys argument, so its key range is empty and routing reads its key specs.

use super::{Command, Exec, KeyRange};

/// The scripting commands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScriptCmd {
    Eval,
    EvalSha,
    EvalRo,
    EvalShaRo,
    Script,
}

const fn script(name: &'static str, arity: i32, cmd: ScriptCmd) -> Command {
    Command {
        name,
        arity,
        keys: KeyRange::NONE,
        flags: 0,
        exec: Exec::Script(cmd),
    }
}

pub static COMMANDS: &[Command] = &[
    script("eval", -3, ScriptCmd::Eval),
    script("evalsha", -3, ScriptCmd::EvalSha),
    script("eval_ro", -3, ScriptCmd::EvalRo),
    script("evalsha_ro", -3, ScriptCmd::EvalShaRo),
    script("script", -2, ScriptCmd::Script),
];
