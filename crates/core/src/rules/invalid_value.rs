use super::did_you_mean;
use super::prelude::*;
use crate::model::RESOLUTION_STRATEGIES;

declare_rule! {
    /// ## What it does
    /// Reports a value outside its allowed set: `resolutionStrategy` must be one of `lowest`,
    /// `highestPatch`, `highestMinor` or `highest`.
    ///
    /// ## Why is this bad?
    /// Unity rejects the manifest when `resolutionStrategy` has any other value, and the
    /// strategy names are case-sensitive (`HighestPatch` is not accepted).
    ///
    /// ## Example
    /// ```json
    /// { "resolutionStrategy": "latest" }
    /// ```
    ///
    /// ## How to fix
    /// Use one of the four values, or remove the property to get the default, `lowest`. When the
    /// value is close to a valid one, the fix offers it.
    pub static INVALID_VALUE = {
        id: "invalid-value",
        severity: Error,
        summary: "A value outside its allowed set (e.g. `resolutionStrategy`)",
        check: check,
    }
}

fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let Some(strategy) = &ctx.manifest.resolution_strategy else {
        return;
    };
    if RESOLUTION_STRATEGIES.contains(&strategy.value.as_str()) {
        return;
    }
    let mut d = Diagnostic::new(
        &INVALID_VALUE,
        strategy.span,
        format!(
            "`{}` is not a resolution strategy Unity knows",
            strategy.value
        ),
    )
    .with_note("allowed values: `lowest` (the default), `highestPatch`, `highestMinor`, `highest`");
    if let Some(suggestion) = did_you_mean(&strategy.value, RESOLUTION_STRATEGIES.iter().copied()) {
        d = d
            .with_note(format!("did you mean `{suggestion}`?"))
            .with_fix(Fix::unsafe_(
                format!("Change to `{suggestion}`"),
                vec![Edit::replace(strategy.span, json_string(suggestion))],
            ));
    }
    out.push(d);
}
