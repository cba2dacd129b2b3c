/// The metric names of the run format (docs/run-format.md).
///
/// TRL's DPOTrainer names are used where they exist, so a TRL user sees
/// familiar keys; dpotop adds the reference log-probs and the DPOP penalty,
/// which TRL does not log.
public enum MetricKey {
  /// Objective value (batch mean).
  public static let loss = "loss"
  /// β·(log πθ(yw|x) − log πref(yw|x)), batch mean.
  public static let rewardsChosen = "rewards/chosen"
  /// β·(log πθ(yl|x) − log πref(yl|x)), batch mean.
  public static let rewardsRejected = "rewards/rejected"
  /// rewards/chosen − rewards/rejected, batch mean.
  public static let rewardsMargins = "rewards/margins"
  /// Fraction of pairs with chosen reward > rejected reward.
  public static let rewardsAccuracies = "rewards/accuracies"
  /// log πθ(yw|x), summed over completion tokens, batch mean.
  public static let logpsChosen = "logps/chosen"
  /// log πθ(yl|x), summed over completion tokens, batch mean.
  public static let logpsRejected = "logps/rejected"
  /// log πref(yw|x), batch mean.
  public static let logpsRefChosen = "logps/ref_chosen"
  /// log πref(yl|x), batch mean.
  public static let logpsRefRejected = "logps/ref_rejected"
  /// max(0, log πref(yw|x) − log πθ(yw|x)), batch mean (before λ).
  public static let dpopPenalty = "dpop/penalty"
  /// Global gradient norm before clipping.
  public static let gradNorm = "grad_norm"
  /// Learning rate used for this step.
  public static let learningRate = "lr"
  /// Tokens processed per second (forward + backward).
  public static let tokensPerSecond = "tokens_per_second"
  /// Held-out task accuracy (greedy decoding, final answer correct). Eval split.
  public static let taskAccuracy = "task_accuracy"
  /// Eval split: log πθ of the chosen tokens before the first token where
  /// chosen and rejected differ (the shared prefix), mean over eval pairs.
  public static let logpsChosenPrefix = "logps/chosen_prefix"
  /// Eval split: log πref of the same shared-prefix tokens.
  public static let logpsRefChosenPrefix = "logps/ref_chosen_prefix"
  /// Eval split: log πθ(y*|x) of the policy's greedy decode y* of the prompts
  /// task accuracy decodes, mean.
  public static let logpsGreedy = "logps/greedy"
  /// Eval split: log πref(y*|x) of those same decodes.
  public static let logpsRefGreedy = "logps/ref_greedy"
  /// Eval split, best-of-N (`--best-of N` samples of each prompt task
  /// accuracy decodes, temperature 1): log πθ of the most likely sample, mean.
  public static let bonLogps = "bon/logps"
  /// Eval split: log πref of that same most likely sample, mean.
  public static let bonRefLogps = "bon/ref_logps"
  /// Eval split: share of prompts whose most likely sample is correct.
  public static let bonAccuracy = "bon/accuracy"
  /// Eval split: share of prompts with at least one correct sample (pass@N).
  public static let bonAnyCorrect = "bon/any_correct"
  /// Eval split: share of all the samples that are correct (temperature-1 accuracy).
  public static let sampleAccuracy = "sample/accuracy"
  /// Eval split: mean log πθ(y*|x) over the prompts whose greedy decode is
  /// correct; not logged when none is.
  public static let greedyCorrectLogps = "greedy/correct_logps"
  /// Eval split: mean log πθ(y*|x) over the prompts whose greedy decode is
  /// wrong; not logged when none is.
  public static let greedyWrongLogps = "greedy/wrong_logps"
  /// Eval split: mean log πref(y*|x) over the same correct greedy decodes.
  public static let greedyRefCorrectLogps = "greedy/ref_correct_logps"
  /// Eval split: mean log πref(y*|x) over the same wrong greedy decodes.
  public static let greedyRefWrongLogps = "greedy/ref_wrong_logps"
  /// Epoch (fractional), as Hugging Face Trainer logs it.
  public static let epoch = "epoch"
}
