"""The published rubrics, as data (transcribed from shared/reference/maturity-and-risk.md).

The data migration 0002 loads them into MaturityModel rows; nothing else reads this module
at run time (views and scoring read the rows). Texts are kept exactly as published."""

from __future__ import annotations

#: ML Test Score (Breck et al. 2017): (section, id, table title, body heading).
ML_TEST_SCORE_SECTIONS = (
    ("data", "Tests for Features and Data"),
    ("model", "Tests for Model Development"),
    ("infra", "Tests for ML Infrastructure"),
    ("monitor", "Monitoring Tests for ML"),
)
ML_TEST_SCORE_TESTS = (
    (
        "data",
        "data-1",
        "Feature expectations are captured in a schema",
        "Data 1: Feature expectations are captured in a schema",
    ),
    ("data", "data-2", "All features are beneficial", "Data 2: All features are beneficial"),
    ("data", "data-3", "No feature's cost is too much", "Data 3: No feature's cost is too much"),
    (
        "data",
        "data-4",
        "Features adhere to meta-level requirements",
        "Data 4: Features adhere to meta-level requirements",
    ),
    (
        "data",
        "data-5",
        "The data pipeline has appropriate privacy controls",
        "Data 5: The data pipeline has appropriate privacy controls",
    ),
    (
        "data",
        "data-6",
        "New features can be added quickly",
        "Data 6: New features can be added quickly",
    ),
    (
        "data",
        "data-7",
        "All input feature code is tested",
        "Data 7: All input feature code is tested",
    ),
    (
        "model",
        "model-1",
        "Model specs are reviewed and submitted",
        "Model 1: Every model specification undergoes a code review and is checked in to a repository",
    ),
    (
        "model",
        "model-2",
        "Offline and online metrics correlate",
        "Model 2: Offline proxy metrics correlate with actual online impact metrics",
    ),
    (
        "model",
        "model-3",
        "All hyperparameters have been tuned",
        "Model 3: All hyperparameters have been tuned",
    ),
    (
        "model",
        "model-4",
        "The impact of model staleness is known",
        "Model 4: The impact of model staleness is known",
    ),
    ("model", "model-5", "A simpler model is not better", "Model 5: A simpler model is not better"),
    (
        "model",
        "model-6",
        "Model quality is sufficient on important data slices",
        "Model 6: Model quality is sufficient on all important data slices",
    ),
    (
        "model",
        "model-7",
        "The model is tested for considerations of inclusion",
        "Model 7: The model has been tested for considerations of inclusion",
    ),
    ("infra", "infra-1", "Training is reproducible", "Infra 1: Training is reproducible"),
    (
        "infra",
        "infra-2",
        "Model specs are unit tested",
        "Infra 2: Model specification code is unit tested",
    ),
    (
        "infra",
        "infra-3",
        "The ML pipeline is integration tested",
        "Infra 3: The full ML pipeline is integration tested",
    ),
    (
        "infra",
        "infra-4",
        "Model quality is validated before serving",
        "Infra 4: Model quality is validated before attempting to serve it",
    ),
    (
        "infra",
        "infra-5",
        "The model is debuggable",
        "Infra 5: The model allows debugging by observing the step-by-step computation of training or inference on a single example",
    ),
    (
        "infra",
        "infra-6",
        "Models are canaried before serving",
        "Infra 6: Models are tested via a canary process before they enter production serving environments",
    ),
    (
        "infra",
        "infra-7",
        "Serving models can be rolled back",
        "Infra 7: Models can be quickly and safely rolled back to a previous serving version",
    ),
    (
        "monitor",
        "monitor-1",
        "Dependency changes result in notification",
        "Monitor 1: Dependency changes result in notification",
    ),
    (
        "monitor",
        "monitor-2",
        "Data invariants hold for inputs",
        "Monitor 2: Data invariants hold in training and serving inputs",
    ),
    (
        "monitor",
        "monitor-3",
        "Training and serving are not skewed",
        "Monitor 3: Training and serving features compute the same values",
    ),
    ("monitor", "monitor-4", "Models are not too stale", "Monitor 4: Models are not too stale"),
    (
        "monitor",
        "monitor-5",
        "Models are numerically stable",
        "Monitor 5: The model is numerically stable",
    ),
    (
        "monitor",
        "monitor-6",
        "Computing performance has not regressed",
        "Monitor 6: The model has not experienced dramatic or slow-leak regressions in training speed, serving latency, throughput, or RAM usage",
    ),
    (
        "monitor",
        "monitor-7",
        "Prediction quality has not regressed",
        "Monitor 7: The model has not experienced a regression in prediction quality on served data",
    ),
)

#: Marvelous MLOps maturity assessment: (section, section title, subsection, subsection
#: title, statement id, statement). Statement ids are ours (reference section 2.3).
MARVELOUS_STATEMENTS = (
    (
        "1",
        "Documentation",
        "1.1",
        "Project Documentation",
        "1.1.1",
        "Business goals and KPIs of an ML project are documented and kept up to date.",
    ),
    (
        "1",
        "Documentation",
        "1.1",
        "Project Documentation",
        "1.1.2",
        "Overview of all team members involved in a machine learning project including their responsibilities are created and kept up to date.",
    ),
    (
        "1",
        "Documentation",
        "1.1",
        "Project Documentation",
        "1.1.3",
        "ML model risk evaluation is created, documented, and kept up to date.",
    ),
    (
        "1",
        "Documentation",
        "1.2",
        "ML model documentation",
        "1.2.1",
        "Steps of gathering, analyzing, and cleaning data including motivation for each step should be documented.",
    ),
    (
        "1",
        "Documentation",
        "1.2",
        "ML model documentation",
        "1.2.2",
        "Data definition (what features are used in an ML model and what these features mean) is documented.",
    ),
    (
        "1",
        "Documentation",
        "1.2",
        "ML model documentation",
        "1.2.3",
        "Choice of machine learning model is documented and justified.",
    ),
    (
        "1",
        "Documentation",
        "1.3",
        "Technical documentation",
        "1.3.1",
        "For real time inference use cases, API is documented: request & response structure and definition, data types.",
    ),
    (
        "1",
        "Documentation",
        "1.3",
        "Technical documentation",
        "1.3.2",
        "Software architecture design is documented and kept up to date.",
    ),
    (
        "2",
        "Traceability and reproducibility",
        "2.1",
        "Infrastructure traceability and reproducibility",
        "2.1.1",
        "Infrastructure is defined as code, later referenced as IaC.",
    ),
    (
        "2",
        "Traceability and reproducibility",
        "2.1",
        "Infrastructure traceability and reproducibility",
        "2.1.2",
        "IaC is stored in a version control system.",
    ),
    (
        "2",
        "Traceability and reproducibility",
        "2.1",
        "Infrastructure traceability and reproducibility",
        "2.1.3",
        "Pull request process is used to create changes in IaC.",
    ),
    (
        "2",
        "Traceability and reproducibility",
        "2.1",
        "Infrastructure traceability and reproducibility",
        "2.1.4",
        "When pull request is merged, changes will be automatically applied to corresponding environments through a CD pipeline.",
    ),
    (
        "2",
        "Traceability and reproducibility",
        "2.1",
        "Infrastructure traceability and reproducibility",
        "2.1.5",
        "Only CD pipelines can deploy changes, individual developers do not have rights to deploy infrastructure.",
    ),
    (
        "2",
        "Traceability and reproducibility",
        "2.1",
        "Infrastructure traceability and reproducibility",
        "2.1.6",
        "ML projects should have at least two environments (preproduction and production) which are exact copies of each other.",
    ),
    (
        "2",
        "Traceability and reproducibility",
        "2.1",
        "Infrastructure traceability and reproducibility",
        "2.1.7",
        "All environments related to a ML project should have (read and/or write) access to production data (data should be the same at any moment of time).",
    ),
    (
        "2",
        "Traceability and reproducibility",
        "2.2",
        "ML code traceability and reproducibility",
        "2.2.1",
        "Code for gathering, analyzing, and cleaning data should be stored in a version control system.",
    ),
    (
        "2",
        "Traceability and reproducibility",
        "2.2",
        "ML code traceability and reproducibility",
        "2.2.2",
        "ML model code is stored in the version control system, together with data preparation code and API code (if applicable).",
    ),
    (
        "2",
        "Traceability and reproducibility",
        "2.2",
        "ML code traceability and reproducibility",
        "2.2.3",
        "Pull requests (PR) are used to make changes in any code related to an ML project.",
    ),
    (
        "2",
        "Traceability and reproducibility",
        "2.2",
        "ML code traceability and reproducibility",
        "2.2.4",
        "When PR is merged, changes will be automatically applied to corresponding environments through a CD pipeline.",
    ),
    (
        "2",
        "Traceability and reproducibility",
        "2.2",
        "ML code traceability and reproducibility",
        "2.2.5",
        "Environment is defined as code and is reproducible.",
    ),
    (
        "2",
        "Traceability and reproducibility",
        "2.2",
        "ML code traceability and reproducibility",
        "2.2.6",
        "ML model code should not require changes to run in different environments. The processes of deployment of an ML model to all environments should be the same.",
    ),
    (
        "2",
        "Traceability and reproducibility",
        "2.2",
        "ML code traceability and reproducibility",
        "2.2.7",
        "For any given machine learning model run/deployment in any environment it is possible to look up unambiguously: 1. corresponding code/ commit on git, 2. infrastructure used for training and serving, 3. environment used for training and serving, 4. ML model artifacts, 5. what data was used to train the model.",
    ),
    (
        "2",
        "Traceability and reproducibility",
        "2.2",
        "ML code traceability and reproducibility",
        "2.2.8",
        "ML model retraining strategy is present and motivated.",
    ),
    (
        "2",
        "Traceability and reproducibility",
        "2.2",
        "ML code traceability and reproducibility",
        "2.2.9",
        "Roll-back strategy is present to be able to revert to the previous ML model version.",
    ),
    (
        "3",
        "Code Quality",
        "3.1",
        "Infrastructure code quality requirements",
        "3.1.1",
        "CI pipeline that includes configuration files validation and running automated tests is triggered at pull request creation.",
    ),
    (
        "3",
        "Code Quality",
        "3.1",
        "Infrastructure code quality requirements",
        "3.1.2",
        "Other team members (e.g., developers / security specialists) must review and approve changes before merging a pull request.",
    ),
    (
        "3",
        "Code Quality",
        "3.2",
        "ML model code quality requirements",
        "3.2.1",
        "Pre-commit hooks are implemented to ensure that code follows the code quality guidelines before it is pushed to a version control system.",
    ),
    (
        "3",
        "Code Quality",
        "3.2",
        "ML model code quality requirements",
        "3.2.2",
        "ML model code contains tests for all steps in an ML process (data processing, ML model training, API deployment).",
    ),
    (
        "3",
        "Code Quality",
        "3.2",
        "ML model code quality requirements",
        "3.2.3",
        "CI pipeline that includes running automated tests is triggered at pull request creation.",
    ),
    (
        "3",
        "Code Quality",
        "3.2",
        "ML model code quality requirements",
        "3.2.4",
        "Other team members (for example, developers/ security specialists) must approve changes before merging a pull request.",
    ),
    (
        "3",
        "Code Quality",
        "3.2",
        "ML model code quality requirements",
        "3.2.5",
        "For real time inference use cases, strategy should be present to perform API load and stress tests regularly and make sure API meets latency requirements.",
    ),
    (
        "3",
        "Code Quality",
        "3.2",
        "ML model code quality requirements",
        "3.2.6",
        "For real time inference use cases, authentication and networking should follow security guidelines.",
    ),
    (
        "3",
        "Code Quality",
        "3.2",
        "ML model code quality requirements",
        "3.2.7",
        "ML model code should be documented (documentation as code).",
    ),
    (
        "3",
        "Code Quality",
        "3.2",
        "ML model code quality requirements",
        "3.2.8",
        "Release notes should be created every time there is a new release of an ML model code.",
    ),
    (
        "4",
        "Monitoring & Support",
        "4.1",
        "Infrastructure monitoring requirements",
        "4.1.1",
        "Tracking of infrastructure costs is set up; cost estimation is done regularly for an ML project.",
    ),
    (
        "4",
        "Monitoring & Support",
        "4.1",
        "Infrastructure monitoring requirements",
        "4.1.2",
        "Health of infrastructure resources is monitored. Alerting is set up in case problems occur.",
    ),
    (
        "4",
        "Monitoring & Support",
        "4.2",
        "Application monitoring requirements",
        "4.2.1",
        "For real-time inference use cases, all API requests and responses should be logged, API response time, response codes, and health status should be monitored.",
    ),
    (
        "4",
        "Monitoring & Support",
        "4.2",
        "Application monitoring requirements",
        "4.2.2",
        "For batch use cases, continuity of delivery to the target system should be monitored.",
    ),
    (
        "4",
        "Monitoring & Support",
        "4.3",
        "KPI & model performance monitoring requirements",
        "4.3.1",
        "Offline evaluation metrics (for example, F1 score computed on historical data for classification tasks) is stored and monitored.",
    ),
    (
        "4",
        "Monitoring & Support",
        "4.3",
        "KPI & model performance monitoring requirements",
        "4.3.2",
        "Feedback loop is used to evaluate and constantly monitor KPIs that were defined together with the business stakeholders for this ML project.",
    ),
    (
        "4",
        "Monitoring & Support",
        "4.4",
        "Data drift & Outliers monitoring",
        "4.4.1",
        "Distributions of important model features are recalculated on a regular basis, alerts are created if a significant change in distribution that affects the target is detected.",
    ),
    (
        "4",
        "Monitoring & Support",
        "4.4",
        "Data drift & Outliers monitoring",
        "4.4.2",
        "Outlier detection is set up, cases when machine learning models are returning predictions with low certainty are regularly reviewed.",
    ),
    (
        "5",
        "Data transformation pipelines & Feature store",
        "",
        "",
        "5.1",
        "Features are pre-computed in a Feature store and/or imported as code shareable across projects.",
    ),
    (
        "5",
        "Data transformation pipelines & Feature store",
        "",
        "",
        "5.2",
        "The offline training data and online prediction data is transformed with the same code.",
    ),
    (
        "5",
        "Data transformation pipelines & Feature store",
        "",
        "",
        "5.3",
        "All the model features are sourced from the feature store or external libraries.",
    ),
    (
        "5",
        "Data transformation pipelines & Feature store",
        "",
        "",
        "5.4",
        "Data scientist can add features to the feature store with a PR.",
    ),
    (
        "5",
        "Data transformation pipelines & Feature store",
        "",
        "",
        "5.5",
        "Feature dependency is automatically managed by the feature store.",
    ),
    (
        "5",
        "Data transformation pipelines & Feature store",
        "",
        "",
        "5.6",
        "The feature store keeps track of the feature usage per model.",
    ),
    (
        "5",
        "Data transformation pipelines & Feature store",
        "",
        "",
        "5.7",
        "The feature configuration is separated from its code.",
    ),
    (
        "6",
        "Model Explainability",
        "",
        "",
        "6.1",
        "The AI system is capable of providing an explanation for its outputs, with evidence to support the explanation.",
    ),
    (
        "6",
        "Model Explainability",
        "",
        "",
        "6.2",
        "The AI system explanation is meaningful if a user of the system can understand the explanation.",
    ),
    (
        "6",
        "Model Explainability",
        "",
        "",
        "6.3",
        "The AI system is able to clearly describe how it arrived at its decision outputs.",
    ),
    (
        "6",
        "Model Explainability",
        "",
        "",
        "6.4",
        "The AI system operates within its knowledge limits and knows when it is operating outside of those limits.",
    ),
    (
        "7",
        "A/B testing & feedback loop",
        "",
        "",
        "7.1",
        "The inputs and outputs of the model are stored automatically.",
    ),
    ("7", "A/B testing & feedback loop", "", "", "7.2", "A/B testing is performed regularly."),
    (
        "7",
        "A/B testing & feedback loop",
        "",
        "",
        "7.3",
        "When doing A/B testing, it can be guaranteed that the same customer will get predictions based on the same version of the model during the whole experiment.",
    ),
)

#: Microsoft "Machine learning operations maturity model": (level, name from the summary
#: table, heading alias). The summary-table names are canonical (reference section 2.1).
MICROSOFT_LEVELS = (
    (0, "No MLOps", "No MLOps"),
    (1, "DevOps but no MLOps", "DevOps no MLOps"),
    (2, "Automated Training", "Automated Training"),
    (3, "Automated Model Deployment", "Automated Model Deployment"),
    (4, "Full MLOps Automated Operations", "Full MLOps Automated Retraining"),
)
MICROSOFT_AREAS = (
    ("people", "People"),
    ("model_creation", "Model Creation"),
    ("model_release", "Model Release"),
    ("application_integration", "Application Integration"),
)
_PEOPLE_0 = (
    "Data scientists: siloed, not in regular communications with the larger team · Data "
    "engineers (if exists): siloed, not in regular communications with the larger team · "
    "Software engineers: siloed, receive model remotely from the other team members"
)
_PEOPLE_3 = (
    "Data scientists: Working directly with data engineers to convert experimentation code "
    "into repeatable scripts/jobs · Data engineers: Working with data scientists and software "
    "engineers to manage inputs/outputs · Software engineers: Working with data engineers to "
    "automate model integration into application code"
)
_CREATION_23 = (
    "Data pipeline gathers data automatically · Compute managed · Experiment results tracked "
    "· Both training code and resulting models are version controlled"
)
#: (area, level) -> the characteristics, word for word (bullets joined by " · ").
MICROSOFT_CHARACTERISTICS = {
    ("people", 0): _PEOPLE_0,
    ("people", 1): _PEOPLE_0,
    ("people", 2): (
        "Data scientists: Working directly with data engineers to convert experimentation code "
        "into repeatable scripts/jobs · Data engineers: Working with data scientists · Software "
        "engineers: siloed, receive model remotely from the other team members"
    ),
    ("people", 3): _PEOPLE_3,
    ("people", 4): (
        "Data scientists: Working directly with data engineers to convert experimentation code "
        "into repeatable scripts/jobs · Working with software engineers to identify markers for "
        "data engineers · Data engineers: Working with data scientists and software engineers to "
        "manage inputs/outputs · Software engineers: Working with data engineers to automate "
        "model integration into application code. Implementing post-deployment metrics gathering"
    ),
    ("model_creation", 0): (
        "Data gathered manually · Compute is likely not managed · Experiments aren't predictably "
        "tracked · End result might be a single model file manually handed off with inputs/outputs"
    ),
    ("model_creation", 1): (
        "Data pipeline gathers data automatically · Compute is or isn't managed · Experiments "
        "aren't predictably tracked · End result might be a single model file manually handed off "
        "with inputs/outputs"
    ),
    ("model_creation", 2): _CREATION_23,
    ("model_creation", 3): _CREATION_23,
    ("model_creation", 4): (
        "Data pipeline gathers data automatically · Retraining triggered automatically based on "
        "production metrics · Compute managed · Experiment results tracked · Both training code "
        "and resulting models are version controlled"
    ),
    ("model_release", 0): (
        "Manual process · Scoring script might be manually created well after experiments, not "
        "version controlled · Release handled by data scientist or data engineer alone"
    ),
    ("model_release", 1): (
        "Manual process · Scoring script might be manually created well after experiments, likely "
        "version controlled · Is handed off to software engineers"
    ),
    ("model_release", 2): (
        "Manual release · Scoring script is version controlled with tests · Release managed by "
        "Software engineering team"
    ),
    ("model_release", 3): (
        "Automatic release · Scoring script is version controlled with tests · Release managed by "
        "continuous delivery (CI/CD) pipeline"
    ),
    ("model_release", 4): (
        "Automatic Release · Scoring Script is version controlled with tests · Release managed by "
        "continuous integration and CI/CD pipeline"
    ),
    ("application_integration", 0): (
        "Heavily reliant on data scientist expertise to implement · Manual releases each time"
    ),
    ("application_integration", 1): (
        "Basic integration tests exist for the model · Heavily reliant on data scientist "
        "expertise to implement model · Releases automated · Application code has unit tests"
    ),
    ("application_integration", 2): (
        "Basic integration tests exist for the model · Heavily reliant on data scientist "
        "expertise to implement model · Application code has unit tests"
    ),
    ("application_integration", 3): (
        "Unit and integration tests for each model release · Less reliant on data scientist "
        "expertise to implement model · Application code has unit/integration tests"
    ),
    ("application_integration", 4): (
        "Unit and Integration tests for each model release · Less reliant on data scientist "
        "expertise to implement model · Application code has unit/integration tests"
    ),
}

#: ML Test Score, Table V: (band, lower, upper, description). Half-open intervals
#: (lower, upper]; band 0 is exactly 0, band 5 is (5, +inf).
ML_TEST_SCORE_BANDS = (
    (0, None, 0, "More of a research project than a productionized system."),
    (1, 0, 1, "Not totally untested, but it is worth considering the possibility of serious "
     "holes in reliability."),
    (2, 1, 2, "There's been first pass at basic productionization, but additional investment "
     "may be needed."),
    (3, 2, 3, "Reasonably tested, but it's possible that more of those tests and procedures may "
     "be automated."),
    (4, 3, 5, "Strong levels of automated testing and monitoring, appropriate for "
     "mission-critical systems."),
    (5, 5, None, "Exceptional levels of automated testing and monitoring."),
)  # fmt: skip
