"""``dpotop-trl-dpo``: ``trl dpo`` with DPO-Positive and dpotop's probes.

The same command line as TRL 1.16's ``trl dpo`` (its ScriptArguments,
DPOConfig and ModelConfig options, ``--config FILE`` too), plus
``--loss_type dpop``, ``--dpop_lambda X`` and the probe options of
``DPOPConfig`` (``--probes K``, 0 for none; ``--probe_greedy N``;
``--probe_prefix_pairs N``; ``--probe_max_new_tokens N``). Loads
``--dataset_name`` with ``datasets.load_dataset`` (a hub name or a local
directory of train/test JSON lines) or a ``--datasets`` mixture, trains, saves the model in
``--output_dir``. The probes need an eval set: ``--eval_strategy steps``.
"""

import sys

from . import DPOPConfig, DPOPTrainer


def main(argv: list[str] | None = None) -> int:
    from datasets import load_dataset
    from trl import (
        DatasetMixtureConfig,
        ModelConfig,
        ScriptArguments,
        TrlParser,
        get_dataset,
        get_peft_config,
        get_quantization_config,
    )

    parser = TrlParser((ScriptArguments, DPOPConfig, ModelConfig, DatasetMixtureConfig), prog="dpotop-trl-dpo")
    script_args, training_args, model_args, dataset_args = parser.parse_args_and_config(args=argv)
    if not script_args.dataset_name and not dataset_args.datasets:
        parser.error("--dataset_name is required (a hub dataset or a local directory with train/test JSON lines)")
    if not model_args.model_name_or_path:
        parser.error("--model_name_or_path is required")
    init_kwargs = {
        "revision": model_args.model_revision,
        "trust_remote_code": training_args.trust_remote_code,
        "attn_implementation": model_args.attn_implementation,
        "dtype": model_args.dtype,
    }
    training_args.model_init_kwargs = {**init_kwargs, **(training_args.model_init_kwargs or {})}

    if dataset_args.datasets:  # a dataset mixture (`--datasets` / a config file), as `trl dpo` reads it
        dataset = get_dataset(dataset_args)
    else:
        dataset = load_dataset(script_args.dataset_name, name=script_args.dataset_config)
    eval_dataset = None
    if training_args.eval_strategy != "no":
        if script_args.dataset_test_split not in dataset:
            parser.error(
                f"--eval_strategy {training_args.eval_strategy} needs a '{script_args.dataset_test_split}' split "
                f"in {script_args.dataset_name} (it has: {', '.join(dataset)}); set --dataset_test_split"
            )
        eval_dataset = dataset[script_args.dataset_test_split]
    trainer = DPOPTrainer(
        model=model_args.model_name_or_path,
        args=training_args,
        train_dataset=dataset[script_args.dataset_train_split],
        eval_dataset=eval_dataset,
        quantization_config=get_quantization_config(model_args),
        peft_config=get_peft_config(model_args),
    )
    trainer.train(resume_from_checkpoint=training_args.resume_from_checkpoint)
    trainer.save_model(training_args.output_dir)
    if hasattr(trainer, "end"):
        trainer.end()
    return 0


if __name__ == "__main__":
    sys.exit(main())
