# Thin wrapper over CMake: `make demo` and `make test` each set everything up.
BUILD      ?= build
ASAN_BUILD ?= build-asan
JOBS       ?= $(shell nproc 2>/dev/null || echo 2)
CMAKE_FLAGS = -DCMAKE_BUILD_TYPE=Release $(if $(CI),-DLX_WERROR=ON)

.PHONY: all setup build demo test test-asan test-valgrind bench docs clean

all: build

setup:
	@sh scripts/setup.sh

build: setup
	@cmake -S . -B $(BUILD) $(CMAKE_FLAGS) >/dev/null
	@cmake --build $(BUILD) -j $(JOBS)

# The main job: trains a network on the shipped digits to >= 95% test accuracy,
# saves its weights, and runs them from a C host (examples/embed/predict.c).
demo: build
	@$(BUILD)/lx examples/quickstart.lx $(BUILD)/quickstart.safetensors
	@echo "\n$(BUILD)/examples/embed/embed_predict $(BUILD)/quickstart.safetensors   # the model run from C"
	@$(BUILD)/examples/embed/embed_predict $(BUILD)/quickstart.safetensors

test: build
	@cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

# The same suite under AddressSanitizer, UndefinedBehaviorSanitizer and
# LeakSanitizer, in its own build directory.
test-asan: setup
	@cmake -S . -B $(ASAN_BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DLX_SANITIZE=ON \
		$(if $(CI),-DLX_WERROR=ON) >/dev/null
	@cmake --build $(ASAN_BUILD) -j $(JOBS)
	@cd $(ASAN_BUILD) && ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=1 \
		UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 ctest --output-on-failure -j $(JOBS)

# A reduced set of the C tests (the C API's, a few of the standard library's, the example hosts)
# under valgrind's leak check, with OpenBLAS on Haswell kernels (valgrind cannot run AVX-512).
test-valgrind: build
	@sh scripts/setup.sh valgrind
	@sh scripts/valgrind.sh $(BUILD)

bench: build
	@sh scripts/setup.sh bench
	@sh bench/run.sh $(BUILD)

# The API reference, generated from the built-ins' docstrings (tools/docgen.c).
docs: build
	@rm -rf docs/api && mkdir -p docs/api
	@$(BUILD)/tools/docgen docs/api
	@echo "docs/api: $$(ls docs/api | wc -l) pages"

clean:
	rm -rf $(BUILD) $(ASAN_BUILD)
