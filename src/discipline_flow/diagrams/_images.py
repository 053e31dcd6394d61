"""SVG and PNG images through Graphviz's ``dot`` program, when it is installed.

Graphviz is optional (Debian package ``graphviz``, or ``brew install graphviz``): the DOT text is
piped to ``dot -Tsvg`` or ``dot -Tpng``. Without it, :class:`~discipline_flow.errors.MissingToolError`
says how to install it.
"""

from __future__ import annotations

import enum
import shutil
import subprocess
from typing import Any

from discipline_flow.diagrams._graph import Graph
from discipline_flow.diagrams._options import DiagramOptions
from discipline_flow.diagrams.dot import to_dot
from discipline_flow.errors import DiagramRenderError, InputError, MissingToolError
from discipline_flow.workflow import Workflow

__all__ = [
    "GRAPHVIZ_HOW",
    "GRAPHVIZ_TOOL",
    "ImageFormat",
    "diagram_file_name",
    "dot_program",
    "has_graphviz",
    "render_dot_text",
    "to_png",
    "to_svg",
]

GRAPHVIZ_TOOL = "Graphviz 'dot'"
GRAPHVIZ_HOW = "install it: apt-get install graphviz (Debian/Ubuntu) or brew install graphviz"
#: Seconds ``dot`` may take before the render is abandoned.
TIMEOUT_SECONDS = 60


class ImageFormat(enum.Enum):
    """Image formats Graphviz renders."""

    SVG = "svg"
    PNG = "png"


def diagram_file_name(workflow: Workflow[Any, Any], suffix: str) -> str:
    """The file name of ``workflow``'s diagram: ``NAME@VERSION.SUFFIX``, its key and a suffix.

    ``discipline-flow diagram --all`` and the demo both name their files so.

    >>> from discipline_flow.diagrams._examples import complaint_workflow
    >>> diagram_file_name(complaint_workflow(), "svg")
    'example_complaint@1.svg'
    """
    return f"{workflow.key}.{suffix.removeprefix('.')}"


def dot_program() -> str:
    """The path of Graphviz's ``dot``; :class:`MissingToolError` when it is not on ``PATH``."""
    path = shutil.which("dot")
    if path is None:
        raise MissingToolError(tool=GRAPHVIZ_TOOL, how=GRAPHVIZ_HOW)
    return path


def has_graphviz() -> bool:
    """Whether Graphviz's ``dot`` is on ``PATH``."""
    return shutil.which("dot") is not None


def render_dot_text(dot_text: str, image_format: ImageFormat | str) -> bytes:
    """Render DOT text to an image with Graphviz."""
    try:
        fmt = ImageFormat(image_format)
    except ValueError:
        allowed = ", ".join(f.value for f in ImageFormat)
        raise InputError(
            "format", f"{image_format!r} is not an image format; formats: {allowed}"
        ) from None
    program = dot_program()
    try:
        done = subprocess.run(
            [program, f"-T{fmt.value}"],
            input=dot_text.encode("utf-8"),
            capture_output=True,
            check=False,
            timeout=TIMEOUT_SECONDS,
        )
    except subprocess.TimeoutExpired:
        raise DiagramRenderError(GRAPHVIZ_TOOL, f"took more than {TIMEOUT_SECONDS} s") from None
    except OSError as exc:
        raise DiagramRenderError(GRAPHVIZ_TOOL, f"could not run: {exc}") from None
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip() or f"exit code {done.returncode}"
        raise DiagramRenderError(GRAPHVIZ_TOOL, message)
    return done.stdout


def to_svg(workflow: Workflow[Any, Any] | Graph, options: DiagramOptions | None = None) -> str:
    """The diagram of ``workflow`` as SVG text, drawn by Graphviz."""
    return render_dot_text(to_dot(workflow, options), ImageFormat.SVG).decode("utf-8")


def to_png(workflow: Workflow[Any, Any] | Graph, options: DiagramOptions | None = None) -> bytes:
    """The diagram of ``workflow`` as PNG bytes, drawn by Graphviz."""
    return render_dot_text(to_dot(workflow, options), ImageFormat.PNG)
